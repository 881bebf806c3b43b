import { DynamicModule, Global, Module } from '@nestjs/common';
import { CacheModule as NestCacheModule } from '@nestjs/cache-manager';
import { AppConfig } from '@app/config';
import { cacheStoreClientOptions, withTimeout } from '@app/redis';
import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';
import { CacheGeneration, CacheGenerationRegistry } from './cache-generations';
import { CacheService } from './cache.service';
import { GenerationTokens } from './generation-tokens';

/**
 * @nestjs/cache-manager on Redis through @keyv/redis (cache-manager 7's store;
 * the older cache-manager-redis-yet is deprecated and broken on v7), its
 * client made with the connection rules of @app/redis. Keys live under
 * REDIS_KEY_PREFIX + "cache". Commands fail fast while disconnected (no
 * offline queue), so an outage costs at most CACHE_TIMEOUT_MS once.
 */
@Global()
@Module({
  imports: [
    NestCacheModule.registerAsync({
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        const store = new KeyvRedis(cacheStoreClientOptions(config), {
          namespace: `${config.redisKeyPrefix}cache`,
          keyPrefixSeparator: ':',
          throwOnConnectError: false,
          throwOnErrors: true,
        });
        // Plain JSON: cached values are JSON views already, and Keyv's default reviver
        // (Buffer and ':'-escape handling) cost a tenth of the CPU of a cached read.
        const keyv = new Keyv({
          store,
          namespace: `${config.redisKeyPrefix}cache`,
          useKeyPrefix: false,
          throwOnErrors: true,
          serialize: JSON.stringify,
          deserialize: JSON.parse,
        });
        keyv.on('error', () => undefined); // failures surface as rejected calls, handled by CacheService
        store.on('error', () => undefined);
        // Connected before the first request: the client connects lazily otherwise, and requests that
        // race to make the first call can see it "offline" (commands are not queued) and open the
        // circuit. When Redis is down at start, the API starts anyway after CACHE_TIMEOUT_MS (the
        // client keeps connecting in the background; until then the cache is bypassed).
        await withTimeout(store.getClient(), config.cacheTimeoutMs, 'cache store not connected yet').catch(() => undefined);
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
