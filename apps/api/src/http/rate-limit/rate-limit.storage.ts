import { Logger, OnModuleDestroy } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { AppConfig } from '@app/config';
import { closeRedisConnection, createRedisConnection, IntermittentWarning, withTimeout } from '@app/redis';
import { HitBatch, HitCounter, SharedCount, SharedHitCounter } from './shared-hit-counter';
import { CREDENTIALS_THROTTLER } from './throttlers';

/** What `increment` answers; @nestjs/throttler exports the storage interface but not this type from its entry point. */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** A Redis call of the limiter waits at most this long; then the request is allowed. */
const TIMEOUT_MS = 250;
/** How often windows that ended are forgotten. */
const SWEEP_INTERVAL_MS = 10_000;

/** What this instance knows of one client's window. */
interface LocalWindow {
  /** The shared count (all instances) when Redis last answered for this key. */
  sharedHits: number;
  /** Hits sent to Redis whose answer has not come back yet. */
  inFlight: number;
  /** Hits counted here, not yet sent. */
  unsent: number;
  windowEndsAt: number;
  blockedUntil: number;
  /** The limit and block duration of the key's throttler, for sending its hits later. */
  readonly windowMs: number;
  readonly limit: number;
  readonly blockMs: number;
}

/**
 * Rate-limit counts shared by every API instance through Redis, without a
 * Redis round trip on most requests.
 *
 * A hit is counted in Redis before the decision (exact) when it is the
 * client's first in this window on this instance, when the client has used
 * half of its limit, and always for the credentials limit. Below half, hits
 * are counted here and sent in batches every RATE_LIMIT_SYNC_INTERVAL_MS (all
 * keys in one round trip), and the decision uses the last shared count plus
 * this instance's unsent hits. Every refusal is therefore decided on the
 * shared count; what batching can cost is bounded: other instances' hits of
 * the last interval are not yet seen, so a client spreading a burst over N
 * instances within one interval can pass half the limit by at most what it
 * sent in that interval before the exact path takes over. With the interval 0
 * every hit is exact.
 *
 * If Redis is down or slow, the limiter fails open (the request is allowed,
 * a warning is logged at most every 10 s): availability of the API beats
 * enforcement of a limit, and the gateway's own limits still apply.
 */
export class RateLimitStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly warning: IntermittentWarning;
  private readonly windows = new Map<string, LocalWindow>();
  private syncTimer: NodeJS.Timeout | undefined;
  private readonly sweepTimer: NodeJS.Timeout;

  /**
   * The storage the API uses (RateLimitStorageModule's provider), on its own Redis connection:
   * limit decisions never queue behind cache or queue traffic.
   */
  static connect(config: AppConfig): RateLimitStorage {
    // quiet: failures surface as rejected calls, which fail open with a warning
    const redis = createRedisConnection(config, 'rate-limits', { quiet: true });
    return new RateLimitStorage(new SharedHitCounter(redis), config.rateLimit.syncIntervalMs, () => closeRedisConnection(redis));
  }

  constructor(
    private readonly counter: HitCounter,
    /** RATE_LIMIT_SYNC_INTERVAL_MS: how long hits below half the limit may wait to be sent; 0 sends every hit. */
    private readonly syncIntervalMs: number,
    private readonly close: () => Promise<void> = () => Promise.resolve(),
    logger: Pick<Logger, 'warn'> = new Logger('RateLimit'),
  ) {
    this.warning = new IntermittentWarning(logger);
    this.sweepTimer = setInterval(() => this.sweep(Date.now()), SWEEP_INTERVAL_MS).unref();
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const window = this.windows.get(key);
    if (window && window.blockedUntil > now) return record(window, now);
    // Until Redis has answered for this window (or after it ended), nothing is known of it.
    const known = window !== undefined && window.windowEndsAt > now;
    if (window && !known && window.inFlight === 0) {
      window.sharedHits = 0; // the window ended: its hits no longer count
      window.unsent = 0;
    }

    const exact = !known || this.syncIntervalMs === 0 || throttlerName === CREDENTIALS_THROTTLER || (counted(window) + 1) * 2 > limit;
    if (window && !exact) {
      window.unsent += 1;
      this.scheduleSync();
      return record(window, now);
    }

    const hits = 1 + (window?.unsent ?? 0);
    const limits = { windowMs: ttl, limit, blockMs: blockDuration };
    const sending = this.send(key, hits, window, limits);
    try {
      const shared = await this.bounded(this.counter.add({ key, hits, ...limits }));
      return record(this.received(key, shared, hits, limits), Date.now());
    } catch (error) {
      sending.failed();
      this.warn(error);
      return { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  /** Sends what is left before the process stops, so a restart does not hand out a fresh allowance. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.sweepTimer);
    clearTimeout(this.syncTimer);
    await this.sync();
    await this.close();
  }

  private scheduleSync(): void {
    this.syncTimer ??= setTimeout(() => {
      this.syncTimer = undefined;
      void this.sync();
    }, this.syncIntervalMs).unref();
  }

  /** Sends every key's unsent hits in one round trip and takes in the shared counts. */
  private async sync(): Promise<void> {
    const batches: HitBatch[] = [];
    const sendings: { failed(): void }[] = [];
    for (const [key, window] of this.windows) {
      if (window.unsent === 0) continue;
      batches.push({ key, hits: window.unsent, windowMs: window.windowMs, limit: window.limit, blockMs: window.blockMs });
      sendings.push(this.send(key, window.unsent, window, window));
    }
    if (batches.length === 0) return;
    try {
      const counts = await this.bounded(this.counter.addAll(batches));
      batches.forEach((batch, i) => this.received(batch.key, counts[i], batch.hits, batch));
    } catch (error) {
      for (const sending of sendings) sending.failed(); // those hits are not counted: fail open, as for a single request
      this.warn(error);
    }
  }

  /** Moves a window's unsent hits (and this request's) to in flight; `failed` takes them off again. */
  private send(key: string, hits: number, window: LocalWindow | undefined, limits: Limits): { failed(): void } {
    const sent = window ?? this.windows.get(key) ?? this.newWindow(key, limits);
    sent.unsent = 0;
    sent.inFlight += hits;
    return { failed: () => (sent.inFlight = Math.max(0, sent.inFlight - hits)) };
  }

  /** Takes in Redis's answer for `hits` sent earlier. */
  private received(key: string, shared: SharedCount, hits: number, limits: Limits): LocalWindow {
    const now = Date.now();
    const window = this.windows.get(key) ?? this.newWindow(key, limits);
    window.sharedHits = shared.hits;
    window.inFlight = Math.max(0, window.inFlight - hits);
    window.windowEndsAt = now + shared.windowMs;
    window.blockedUntil = shared.blockedMs > 0 ? now + shared.blockedMs : 0;
    return window;
  }

  /** A window not yet heard of from Redis: it ends at once, so its next hit is exact. */
  private newWindow(key: string, limits: Limits): LocalWindow {
    const window: LocalWindow = { sharedHits: 0, inFlight: 0, unsent: 0, windowEndsAt: 0, blockedUntil: 0, ...limits };
    this.windows.set(key, window);
    return window;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.windowEndsAt <= now && window.blockedUntil <= now && window.inFlight === 0) this.windows.delete(key);
    }
  }

  private bounded<T>(operation: Promise<T>): Promise<T> {
    return withTimeout(operation, TIMEOUT_MS, `no answer within ${TIMEOUT_MS} ms`);
  }

  private warn(error: unknown): void {
    this.warning.warn(`rate limiting unavailable, allowing requests: ${error instanceof Error ? error.message : String(error)}`);
  }
}

type Limits = Pick<LocalWindow, 'windowMs' | 'limit' | 'blockMs'>;

/** Every hit this instance knows of in the window: the shared count plus its own not yet in it. */
const counted = (window: LocalWindow) => window.sharedHits + window.inFlight + window.unsent;

function record(window: LocalWindow, now: number): ThrottlerStorageRecord {
  const blocked = window.blockedUntil > now;
  return {
    totalHits: counted(window),
    timeToExpire: Math.max(0, Math.ceil((window.windowEndsAt - now) / 1000)),
    isBlocked: blocked,
    timeToBlockExpire: blocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
  };
}
