import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { afterCommit, Tx } from '@app/database';
import { closeRedisConnection, createRedisConnection, failOpen, IntermittentWarning, REDIS_CLIENT, RedisClient } from '@app/redis';
import { Revocation, RevocationsRepository } from './revocations.repository';
import type { AuthUser } from './token.service';

/**
 * Where revocations are announced: sharded pub/sub, as the cache's generation tokens are
 * (libs/cache), under the deployment's prefix.
 */
const CHANNEL = 'auth:{revocations}';
/**
 * Ids are handed out at insert, so a row can commit after a newer one was read: an id skipped
 * over is asked for again for this long (revocation transactions are a statement or two, bounded
 * by the statement and idle-in-transaction timeouts). Most skipped ids never come: a rolled-back
 * insert, or a second logout of one token (ON CONFLICT DO NOTHING) also uses one up.
 */
const LATE_COMMIT_MS = 60_000;
/** At most this many skipped ids are watched, the newest (more in flight at once is no late commit). */
const MAX_WATCHED_GAPS = 1000;
/** How often entries past their tokens' expiry leave memory. */
const FORGET_INTERVAL_MS = 60_000;

/**
 * Which tokens are revoked, held in memory by every API instance so that checking a request's
 * token costs no round trip (docs/security.md).
 *
 * A revocation is written to PostgreSQL first (the record that outlives every instance and
 * Redis), then applied here and announced on Redis to every other instance, before the request
 * that made it is answered. Each instance also reads new rows from PostgreSQL every
 * TOKEN_REVOCATION_POLL_MS, and on every (re)subscription: an announcement lost while Redis was
 * down reaches it within that interval. A starting instance reads every unexpired revocation
 * before it serves (a failed read fails its start: it would otherwise accept revoked tokens).
 */
@Injectable()
export class TokenRevocations implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TokenRevocations.name);
  private readonly warning = new IntermittentWarning(this.logger);
  /** Revoked token ids, with when each token expires (epoch ms). */
  private readonly revokedTokens = new Map<string, number>();
  /** Per user whose password changed within a token lifetime: the lowest generation still valid. */
  private readonly minGenerations = new Map<number, { generation: number; expiresAt: number }>();
  /** The highest row id read. */
  private newestId = 0n;
  /** Ids below it not read yet, with when each was first missed (epoch ms). */
  private readonly gaps = new Map<bigint, number>();
  private reading: Promise<void> | undefined;
  private subscriber: RedisClient | undefined;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly repository: RevocationsRepository,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.readNew();
    const subscriber = createRedisConnection(this.config, 'subscriber', { quiet: true });
    subscriber.on('ready', () => void this.subscribe(subscriber));
    subscriber.on('+subscriber', () => void this.subscribe(subscriber));
    subscriber.on('smessage', (_channel: string, message: string) => this.applyAnnounced(message));
    subscriber.connect().catch(() => undefined);
    this.subscriber = subscriber;
    this.timers = [
      setInterval(
        () => void this.readNew().catch((error: Error) => this.warning.warn(`reading token revocations failed: ${error.message}`)),
        this.config.tokenRevocationPollMs,
      ),
      setInterval(() => this.forgetExpired(), FORGET_INTERVAL_MS),
    ];
    for (const timer of this.timers) timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    if (this.subscriber) await closeRedisConnection(this.subscriber);
  }

  /** Whether the request's token was revoked: by a logout, or by a password change after it was issued. */
  isRevoked(user: AuthUser): boolean {
    if (this.revokedTokens.has(user.session.tokenId)) return true;
    const min = this.minGenerations.get(user.id);
    return min !== undefined && user.session.generation < min.generation;
  }

  /** Logout: the token stops working on every instance. */
  async revokeToken(user: AuthUser): Promise<void> {
    await this.publish(await this.repository.revokeToken(user.id, user.session.tokenId, user.session.expiresAt));
  }

  /**
   * Records, in the caller's transaction, that the user's tokens below `minGeneration` are
   * revoked; `publish` the result once that transaction has committed.
   */
  revokeGenerationsBelow(userId: number, minGeneration: number, tx: Tx): Promise<Revocation> {
    return this.repository.revokeGenerationsBelow(userId, minGeneration, this.config.jwtTtlSeconds, tx);
  }

  /**
   * Applies a committed revocation here and announces it to the other instances. A failed
   * announcement (Redis down) is logged, not thrown: the revocation is stored, and the other
   * instances read it within TOKEN_REVOCATION_POLL_MS.
   */
  publish(revocation: Revocation): Promise<void> {
    // In a request's ambient transaction (Idempotency-Key), once it has committed.
    return afterCommit(() => this.publishNow(revocation));
  }

  private async publishNow(revocation: Revocation): Promise<void> {
    this.apply(revocation);
    await failOpen(this.redis.spublish(CHANNEL, JSON.stringify(revocation)), this.config.cacheTimeoutMs, this.warning, 'announcing a token revocation');
  }

  /** Reads the rows written since the last read; one read at a time (callers share a running one). */
  readNew(): Promise<void> {
    this.reading ??= (async () => {
      try {
        const now = Date.now();
        for (const [id, missedAt] of this.gaps) if (now - missedAt > LATE_COMMIT_MS) this.gaps.delete(id);
        for (const { revocation, id: text } of await this.repository.newRows(this.newestId, [...this.gaps.keys()])) {
          const id = BigInt(text);
          this.apply(revocation);
          this.gaps.delete(id);
          // The ids skipped between the last row and this one: the newest of them, if many.
          const watchFrom = id - BigInt(MAX_WATCHED_GAPS);
          for (let missed = this.newestId >= watchFrom ? this.newestId + 1n : watchFrom; missed < id; missed++) this.gaps.set(missed, now);
          if (id > this.newestId) this.newestId = id;
        }
        for (const id of this.gaps.keys()) {
          if (this.gaps.size <= MAX_WATCHED_GAPS) break;
          this.gaps.delete(id); // the oldest go first (a Map keeps insertion order)
        }
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  private async subscribe(subscriber: RedisClient): Promise<void> {
    try {
      await subscriber.ssubscribe(CHANNEL);
      // Subscribed, then read: what was announced while the subscription was down is in the table.
      await this.readNew();
    } catch (error) {
      this.warning.warn(`token revocations: subscribing failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private applyAnnounced(message: string): void {
    try {
      const revocation = JSON.parse(message) as Revocation;
      if (revocation.kind === 'token' && typeof revocation.tokenId === 'string' && typeof revocation.expiresAt === 'number') this.apply(revocation);
      if (revocation.kind === 'generations' && Number.isSafeInteger(revocation.userId) && Number.isSafeInteger(revocation.minGeneration))
        this.apply(revocation);
    } catch {
      // not an announcement of ours; the next read from PostgreSQL has the truth
    }
  }

  private apply(revocation: Revocation): void {
    if (revocation.kind === 'token') {
      this.revokedTokens.set(revocation.tokenId, revocation.expiresAt);
      return;
    }
    const known = this.minGenerations.get(revocation.userId);
    if (known === undefined || known.generation < revocation.minGeneration) {
      this.minGenerations.set(revocation.userId, { generation: revocation.minGeneration, expiresAt: revocation.expiresAt });
    }
  }

  private forgetExpired(): void {
    const now = Date.now();
    for (const [tokenId, expiresAt] of this.revokedTokens) if (expiresAt <= now) this.revokedTokens.delete(tokenId);
    for (const [userId, { expiresAt }] of this.minGenerations) if (expiresAt <= now) this.minGenerations.delete(userId);
  }
}
