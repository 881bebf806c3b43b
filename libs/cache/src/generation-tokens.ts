import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { closeRedisConnection, createRedisConnection, REDIS_CLIENT, RedisClient, withTimeout } from '@app/redis';
import { CacheGeneration, CacheGenerationRegistry } from './cache-generations';

/** How often the tokens are read again from Redis, in case an announcement was lost. */
const REFRESH_INTERVAL_MS = 500;
/** Tokens not confirmed by Redis for this long are not trusted (read per request instead). */
const TRUSTED_FOR_MS = 1500;

/**
 * Plain strings under the deployment's prefix, with no expiry: a token lives until a write
 * replaces it. One hash tag for all of them: on a Redis Cluster they share a slot, so one MGET
 * reads them and one transaction replaces them.
 */
const generationKey = (generation: CacheGeneration) => `cache:{generations}:${generation}`;
/**
 * Where replacements are announced: sharded pub/sub (SPUBLISH, Redis 7) on a channel of the tokens'
 * slot, so on a Cluster the node that replaced them is the node that delivers the announcement,
 * in the same transaction. (Plain PUBLISH travels the cluster bus to the other nodes and may
 * arrive after the writer's client has asked another instance.) Under the prefix, like the keys.
 */
const CHANNEL = 'cache:{generations}';

/**
 * The current generation tokens (docs/caching.md), kept in memory so that a
 * cached read needs no Redis round trip to find its key.
 *
 * Tokens live in Redis; a write replaces them there and announces the new ones
 * on a pub/sub channel, which every instance subscribes to. An instance
 * trusts its copy only while it is subscribed and has read the tokens from
 * Redis within the last TRUSTED_FOR_MS (it reads them every
 * REFRESH_INTERVAL_MS); otherwise `known()` says so and the caller reads them
 * from Redis. So another instance's write is seen as soon as its announcement
 * arrives (the writer announces before it answers its client), and within
 * TRUSTED_FOR_MS even if an announcement is lost.
 */
@Injectable()
export class GenerationTokens implements OnModuleInit, OnModuleDestroy {
  private readonly tokens = new Map<CacheGeneration, string>();
  private subscriber: RedisClient | undefined;
  private subscribed = false;
  private confirmedAt = 0;
  /** Bumped by every change seen, so a refresh that raced with one does not undo it. */
  private changes = 0;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    private readonly config: AppConfig,
    private readonly registry: CacheGenerationRegistry,
  ) {}

  onModuleInit(): void {
    // quiet: the cache reports Redis trouble; here it only means "not trusted"
    const subscriber = createRedisConnection(this.config, 'subscriber', { quiet: true });
    subscriber.on('ready', () => void this.subscribe(subscriber));
    for (const event of ['close', 'reconnecting', 'end']) subscriber.on(event, () => (this.subscribed = false));
    subscriber.on('smessage', (_channel: string, message: string) => this.apply(message));
    // A Cluster's sharded subscriber runs on a connection of its own, which it reports on.
    subscriber.on('-subscriber', () => (this.subscribed = false));
    subscriber.on('+subscriber', () => void this.subscribe(subscriber));
    subscriber.connect().catch(() => undefined);
    this.subscriber = subscriber;
    this.refreshTimer = setInterval(() => void this.refresh(), REFRESH_INTERVAL_MS).unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.refreshTimer);
    this.subscribed = false;
    if (this.subscriber) await closeRedisConnection(this.subscriber);
  }

  /** The tokens from memory, or undefined when they must be read from Redis (`read`). */
  known(generations: readonly CacheGeneration[]): string[] | undefined {
    if (!this.subscribed || Date.now() - this.confirmedAt > TRUSTED_FOR_MS) return undefined;
    return generations.map((generation) => this.tokens.get(generation) ?? '0');
  }

  async read(generations: readonly CacheGeneration[]): Promise<string[]> {
    const values = await this.redis.mget(...generations.map(generationKey));
    return values.map((value) => value ?? '0');
  }

  /**
   * New tokens for these generations: here at once, then in Redis and announced to every
   * instance, both in one transaction (one round trip; no instance can read the new tokens
   * before the announcement is on its way).
   */
  async replace(generations: readonly CacheGeneration[]): Promise<void> {
    const next = generations.map((generation) => [generation, randomUUID()] as const);
    this.changes++;
    for (const [generation, token] of next) this.tokens.set(generation, token);
    const results = await this.redis
      .multi()
      .mset(...next.flatMap(([generation, token]) => [generationKey(generation), token]))
      .spublish(CHANNEL, JSON.stringify(Object.fromEntries(next)))
      .exec();
    const failed = results?.find(([error]) => error)?.[0];
    if (results === null || failed) throw failed ?? new Error('generation tokens: transaction discarded');
  }

  private async subscribe(subscriber: RedisClient): Promise<void> {
    try {
      await subscriber.ssubscribe(CHANNEL);
      // Subscribed first, then read: a change made in between is announced, none is missed.
      this.subscribed = true;
      await this.refresh();
    } catch {
      this.subscribed = false;
    }
  }

  private async refresh(): Promise<void> {
    const changesBefore = this.changes;
    try {
      const all = this.registry.all();
      const values = await withTimeout(this.read(all), this.config.cacheTimeoutMs, 'generation tokens: no answer');
      if (this.changes !== changesBefore) return; // a newer token arrived meanwhile; the next refresh confirms it
      all.forEach((generation, i) => this.tokens.set(generation, values[i]));
      this.confirmedAt = Date.now();
    } catch {
      this.confirmedAt = 0;
    }
  }

  private apply(message: string): void {
    let announced: Partial<Record<CacheGeneration, string>>;
    try {
      announced = JSON.parse(message) as Partial<Record<CacheGeneration, string>>;
    } catch {
      return;
    }
    this.changes++;
    for (const generation of this.registry.all()) {
      const token = announced[generation];
      if (typeof token === 'string') this.tokens.set(generation, token);
    }
    // An announcement came through Redis on a live subscription: announcements are only lost
    // with the connection, which `subscribed` follows, so the copy is as good as a fresh read.
    if (this.confirmedAt > 0) this.confirmedAt = Date.now();
  }
}
