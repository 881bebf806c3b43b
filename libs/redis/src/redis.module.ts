import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import Redis from 'ioredis';
import { REDIS_CLIENT } from './redis.constants';

/**
 * One shared Redis connection for commands. Every key is written under the
 * configured prefix, so test runs and deployments sharing a server never collide.
 * Commands fail fast while Redis is unreachable instead of queueing forever.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const logger = new Logger('Redis');
        const client = new Redis(config.redisUrl, {
          keyPrefix: config.redisKeyPrefix,
          lazyConnect: false,
          connectTimeout: 2000,
          commandTimeout: 1000,
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
        });
        let lastError = '';
        client.on('error', (error: Error) => {
          // ioredis retries on its own; log each distinct failure once, not every retry
          if (error.message !== lastError) logger.warn(`Redis error: ${error.message}`);
          lastError = error.message;
        });
        client.on('ready', () => {
          lastError = '';
        });
        return client;
      },
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
