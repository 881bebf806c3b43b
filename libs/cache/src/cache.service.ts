import { Inject, Injectable, Logger } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { AppConfig } from '@app/config';
import { afterCommit } from '@app/database';
import { METRICS } from '@app/metrics';
import { withTimeout } from '@app/redis';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Cache } from 'cache-manager';
import { Counter } from 'prom-client';
import { CacheGeneration, CacheGenerationRegistry } from './cache-generations';
import { GenerationTokens } from './generation-tokens';
import { LocalCache } from './local-cache';

/** After a Redis failure, skip the cache this long before trying it again. */
const CIRCUIT_OPEN_MS = 1000;

/**
 * Read-through cache with generation-based invalidation: an entry's key
 * embeds the current token of every generation it depends on, and a write
 * replaces the token (GenerationTokens). Entries of old generations are never
 * read again; they expire (TTL) or are pushed out.
 *
 * Two tiers: each process's own memory (LocalCache, CACHE_LOCAL_MAX_MB), then
 * Redis (cache-manager 7 on Keyv, RedisCacheStore), shared by every instance; a miss in
 * both loads once per process however many requests wait for it. With the
 * tokens in memory (kept current by pub/sub), a hit in the first tier costs no
 * Redis round trip at all.
 *
 * Redis is an optimisation here, never a dependency: every call is bounded by
 * CACHE_TIMEOUT_MS, and after a failure the cache, both tiers, is bypassed for
 * a second (reads go straight to PostgreSQL): without Redis, other instances'
 * writes cannot reach this one. When Redis comes back, every generation is
 * replaced first, because writes made during the outage could not replace theirs.
 */
@Injectable()
export class CacheService {
  private readonly logger = new Logger('Cache');
  private readonly local: LocalCache;
  private readonly loading = new Map<string, Promise<unknown>>();
  private unavailableUntil = 0;
  private missedBumps = false;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly generations: GenerationTokens,
    private readonly registry: CacheGenerationRegistry,
    private readonly config: AppConfig,
    @InjectMetric(METRICS.cacheRequests) private readonly requests: Counter<string>,
  ) {
    this.local = new LocalCache(config.cacheLocalMaxMiB * 2 ** 20, config.cacheTtlSeconds * 1000, !config.isProduction);
  }

  /** The cached value of `name:key`, or `load()`'s result (cached unless undefined). */
  async getOrLoad<T>(name: string, key: string, dependsOn: readonly CacheGeneration[], load: () => Promise<T>): Promise<T> {
    this.registry.check(dependsOn);
    if (!(await this.available())) {
      this.count(name, 'bypass', 'none');
      return load();
    }
    let fullKey: string;
    try {
      fullKey = `${await this.keyPrefix(name, dependsOn)}${key}`;
    } catch (error) {
      return this.failed(name, error, load);
    }
    const local = this.local.get<T>(fullKey);
    if (local !== undefined) {
      this.count(name, 'hit', 'local');
      return local;
    }
    const pending = this.loading.get(fullKey) as Promise<T> | undefined;
    if (pending) {
      this.count(name, 'coalesced', 'none');
      return pending;
    }
    const filling = this.fill(name, fullKey, load).finally(() => this.loading.delete(fullKey));
    this.loading.set(fullKey, filling);
    return filling;
  }

  /**
   * The cached values of many keys of one cache: memory first, then one Redis
   * round trip for the rest, then one `loadMissing` call for what neither had
   * (it returns what exists; keys it leaves out are not cached).
   */
  async getManyOrLoad<T>(
    name: string,
    keys: readonly string[],
    dependsOn: readonly CacheGeneration[],
    loadMissing: (keys: string[]) => Promise<Map<string, T>>,
  ): Promise<Map<string, T>> {
    this.registry.check(dependsOn);
    const found = new Map<string, T>();
    if (keys.length === 0) return found;
    if (!(await this.available())) {
      this.count(name, 'bypass', 'none', keys.length);
      return loadMissing([...keys]);
    }
    let prefix: string;
    try {
      prefix = await this.keyPrefix(name, dependsOn);
    } catch (error) {
      return this.failed(name, error, () => loadMissing([...keys]), keys.length);
    }
    let missing = keys.filter((key) => {
      const hit = this.local.get<T>(prefix + key);
      if (hit !== undefined) found.set(key, hit);
      return hit === undefined;
    });
    this.count(name, 'hit', 'local', keys.length - missing.length);
    if (missing.length === 0) return found;
    try {
      const stored = await this.bounded(this.cache.mget<T>(missing.map((key) => prefix + key)));
      missing = missing.filter((key, i) => {
        const hit = stored[i];
        if (hit === undefined || hit === null) return true;
        found.set(key, hit);
        this.local.set(prefix + key, hit);
        return false;
      });
      this.count(name, 'hit', 'redis', stored.length - missing.length);
    } catch (error) {
      for (const [key, value] of await this.failed(name, error, () => loadMissing(missing), missing.length)) found.set(key, value);
      return found;
    }
    if (missing.length === 0) return found;
    this.count(name, 'miss', 'none', missing.length);
    const loaded = await loadMissing(missing);
    const entries = [...loaded].map(([key, value]) => {
      found.set(key, value);
      this.local.set(prefix + key, value);
      return { key: prefix + key, value, ttl: this.config.cacheTtlSeconds * 1000 };
    });
    if (entries.length > 0) this.bounded(this.cache.mset(entries)).catch((error: unknown) => this.fail(error));
    return found;
  }

  /**
   * Invalidates everything that depends on these generations. Call after the write; inside an
   * ambient transaction (@app/database request-transaction.ts) it waits for the commit.
   */
  bump(...generations: CacheGeneration[]): Promise<void> {
    return afterCommit(() => this.bumpNow(generations));
  }

  private async bumpNow(generations: CacheGeneration[]): Promise<void> {
    if (Date.now() < this.unavailableUntil) {
      this.missedBumps = true;
      return;
    }
    this.registry.check(generations);
    const all: readonly CacheGeneration[] = this.missedBumps ? this.registry.all() : generations;
    this.missedBumps = false;
    try {
      await this.bounded(this.generations.replace(all));
    } catch (error) {
      this.missedBumps = true;
      this.fail(error);
    }
  }

  /** From Redis, or loaded and stored in both tiers. */
  private async fill<T>(name: string, fullKey: string, load: () => Promise<T>): Promise<T> {
    try {
      const hit = await this.bounded(this.cache.get<T>(fullKey));
      if (hit !== undefined && hit !== null) {
        this.count(name, 'hit', 'redis');
        this.local.set(fullKey, hit);
        return hit;
      }
    } catch (error) {
      return this.failed(name, error, load);
    }
    this.count(name, 'miss', 'none');
    const value = await load();
    if (value !== undefined) {
      this.local.set(fullKey, value);
      // Not awaited: filling Redis must not add latency to the response.
      this.bounded(this.cache.set(fullKey, value, this.config.cacheTtlSeconds * 1000)).catch((error: unknown) => this.fail(error));
    }
    return value;
  }

  private async available(): Promise<boolean> {
    if (Date.now() < this.unavailableUntil) return false;
    if (this.missedBumps) {
      this.local.clear();
      await this.bump(...this.registry.all());
      return Date.now() >= this.unavailableUntil;
    }
    return true;
  }

  /** `name:<tokens>:`, the start of every key of this cache in the current generations. */
  private async keyPrefix(name: string, dependsOn: readonly CacheGeneration[]): Promise<string> {
    const tokens = this.generations.known(dependsOn) ?? (await this.bounded(this.generations.read(dependsOn)));
    return `${name}:${tokens.join('.')}:`;
  }

  private failed<T>(name: string, error: unknown, load: () => Promise<T>, keys = 1): Promise<T> {
    this.fail(error);
    this.count(name, 'error', 'none', keys);
    return load();
  }

  private fail(error: unknown): void {
    if (Date.now() >= this.unavailableUntil) {
      this.logger.warn(`cache unavailable, reading from PostgreSQL for ${CIRCUIT_OPEN_MS} ms: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.unavailableUntil = Date.now() + CIRCUIT_OPEN_MS;
  }

  private count(cache: string, result: 'hit' | 'miss' | 'coalesced' | 'error' | 'bypass', tier: 'local' | 'redis' | 'none', keys = 1): void {
    if (keys > 0) this.requests.inc({ cache, result, tier }, keys);
  }

  private bounded<T>(operation: Promise<T>): Promise<T> {
    return withTimeout(operation, this.config.cacheTimeoutMs, `cache call exceeded ${this.config.cacheTimeoutMs} ms`);
  }
}
