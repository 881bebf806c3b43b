import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { AppConfig } from '@app/config';
import { METRICS } from '@app/metrics';
import { withTimeout } from '@app/redis';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Cache } from 'cache-manager';
import { Counter } from 'prom-client';

/** What cached data depends on; a write to it replaces its generation token. */
export type CacheGeneration = 'articles' | 'users';
const ALL_GENERATIONS: readonly CacheGeneration[] = ['articles', 'users'];

/** After a Redis failure, skip the cache this long before trying it again. */
const CIRCUIT_OPEN_MS = 1000;

/**
 * Read-through cache on Redis (cache-manager 7 + @keyv/redis) with
 * generation-based invalidation: an entry's key embeds the current token of
 * every generation it depends on, and a write replaces the token. Readers that
 * start after a write's `bump` can never see data from before it, on any
 * instance; entries of old generations simply expire (TTL).
 *
 * Redis is an optimisation here, never a dependency: every call is bounded by
 * CACHE_TIMEOUT_MS, and after a failure the cache is bypassed for a second
 * (reads go straight to PostgreSQL). When Redis comes back, every generation
 * is bumped first, because writes made during the outage could not bump theirs.
 */
@Injectable()
export class CacheService {
  private readonly logger = new Logger('Cache');
  private unavailableUntil = 0;
  private missedBumps = false;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    private readonly config: AppConfig,
    @InjectMetric(METRICS.cacheRequests) private readonly requests: Counter<string>,
  ) {}

  /** The cached value of `name:key`, or `load()`'s result (cached unless undefined). */
  async getOrLoad<T>(name: string, key: string, dependsOn: readonly CacheGeneration[], load: () => Promise<T>): Promise<T> {
    if (!(await this.available())) {
      this.requests.inc({ cache: name, result: 'bypass' });
      return load();
    }
    let fullKey: string;
    try {
      const tokens = await this.bounded(this.cache.mget<string>(dependsOn.map(generationKey)));
      fullKey = `${name}:${tokens.map((token) => token ?? '0').join('.')}:${key}`;
      const hit = await this.bounded(this.cache.get<T>(fullKey));
      if (hit !== undefined && hit !== null) {
        this.requests.inc({ cache: name, result: 'hit' });
        return hit;
      }
    } catch (error) {
      this.fail(error);
      this.requests.inc({ cache: name, result: 'error' });
      return load();
    }
    this.requests.inc({ cache: name, result: 'miss' });
    const value = await load();
    if (value !== undefined) {
      // Not awaited: filling the cache must not add latency to the response.
      this.bounded(this.cache.set(fullKey, value, this.config.cacheTtlSeconds * 1000)).catch((error: unknown) => this.fail(error));
    }
    return value;
  }

  /** Invalidates everything that depends on these generations. Call after the write committed. */
  async bump(...generations: CacheGeneration[]): Promise<void> {
    if (Date.now() < this.unavailableUntil) {
      this.missedBumps = true;
      return;
    }
    const all: readonly CacheGeneration[] = this.missedBumps ? ALL_GENERATIONS : generations;
    this.missedBumps = false;
    try {
      await this.bounded(this.cache.mset(all.map((generation) => ({ key: generationKey(generation), value: randomUUID() }))));
    } catch (error) {
      this.missedBumps = true;
      this.fail(error);
    }
  }

  private async available(): Promise<boolean> {
    if (Date.now() < this.unavailableUntil) return false;
    if (this.missedBumps) {
      await this.bump(...ALL_GENERATIONS);
      return Date.now() >= this.unavailableUntil;
    }
    return true;
  }

  private fail(error: unknown): void {
    if (Date.now() >= this.unavailableUntil) {
      this.logger.warn(`cache unavailable, reading from PostgreSQL for ${CIRCUIT_OPEN_MS} ms: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.unavailableUntil = Date.now() + CIRCUIT_OPEN_MS;
  }

  private bounded<T>(operation: Promise<T>): Promise<T> {
    return withTimeout(operation, this.config.cacheTimeoutMs, `cache call exceeded ${this.config.cacheTimeoutMs} ms`);
  }
}

function generationKey(generation: CacheGeneration): string {
  return `generation:${generation}`;
}
