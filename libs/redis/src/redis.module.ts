import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import Redis from 'ioredis';
import { createRedisConnection } from './redis-connections';
import { REDIS_CLIENT } from './redis.constants';

/**
 * One shared Redis connection for request-path commands (`createRedisConnection`,
 * role `commands`). Every key is written under the configured prefix, so test
 * runs and deployments sharing a server never collide.
 */
@Global()
@Module({
  providers: [{ provide: REDIS_CLIENT, inject: [AppConfig], useFactory: (config: AppConfig) => createRedisConnection(config, 'commands') }],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
