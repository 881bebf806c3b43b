import { DynamicModule, Global, Module } from '@nestjs/common';
import { CacheModule as NestCacheModule } from '@nestjs/cache-manager';
import { AppConfig } from '@app/config';
import { createRedisConnection, whenReady } from '@app/redis';
import Keyv from 'keyv';
import { CacheGeneration, CacheGenerationRegistry } from './cache-generations';
import { CacheService } from './cache.service';
import { GenerationTokens } from './generation-tokens';
import { RedisCacheStore } from './redis-cache-store';

/**
 * @nestjs/cache-manager (cache-manager 7 on Keyv) with its entries in Redis
 * through RedisCacheStore, on a connection of @app/redis (role `cache`), so
 * the cache follows the configured topology like every other client. (The
 * older cache-manager-redis-yet is deprecated and broken on v7.) Keys live
 * under REDIS_KEY_PREFIX + "cache:". Commands fail fast while disconnected (no
 * offline queue), so an outage costs at most CACHE_TIMEOUT_MS once.
 */
@Global()
@Module({
  imports: [
    NestCacheModule.registerAsync({
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        // quiet: the cache reports its own failures (CacheService: circuit open, reads from PostgreSQL)
        const connection = createRedisConnection(config, 'cache', { quiet: true });
        const store = new RedisCacheStore(connection);
        // Plain JSON: cached values are JSON views already, and Keyv's default reviver
        // (Buffer and ':'-escape handling) cost a tenth of the CPU of a cached read.
        const keyv = new Keyv({
          store,
          useKeyPrefix: false,
          throwOnErrors: true,
          serialize: JSON.stringify,
          deserialize: JSON.parse,
        });
        keyv.on('error', () => undefined); // failures surface as rejected calls, handled by CacheService
        // Connected before the first request: requests that race to make the first call would see
        // it "offline" (commands are not queued) and open the circuit. When Redis is down at start,
        // the API starts anyway after CACHE_TIMEOUT_MS (the client keeps connecting in the
        // background; until then the cache is bypassed).
        await whenReady(connection, config.cacheTimeoutMs).catch(() => undefined);
        return { stores: [keyv], ttl: config.cacheTtlSeconds * 1000 };
      },
    }),
  ],
  providers: [GenerationTokens, CacheService, CacheGenerationRegistry],
  exports: [CacheService, CacheGenerationRegistry],
})
export class CacheModule {
  /** Registers the generations a feature module owns (see cache-generations.ts); import it in that module. */
  static forFeature(generations: readonly CacheGeneration[]): DynamicModule {
    return {
      module: CacheGenerationsOfFeature,
      providers: [
        {
          provide: `cache generations ${generations.join(',')}`,
          inject: [CacheGenerationRegistry],
          useFactory: (registry: CacheGenerationRegistry) => registry.register(generations),
        },
      ],
    };
  }
}

/** What CacheModule.forFeature returns: a module of one provider that registers the generations when it is made. */
@Module({})
class CacheGenerationsOfFeature {}
