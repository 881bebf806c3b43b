import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { closeRedisConnection, createRedisConnection, REDIS_CONNECT_TIMEOUT_MS, RedisClient, whenReady } from './redis-connections';
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
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: RedisClient) {}

  /**
   * Connected before the first request (commands are not queued while disconnected, so a request
   * racing the connection would fail open); a Redis that is down costs the start at most this wait.
   */
  async onModuleInit(): Promise<void> {
    await whenReady(this.client, REDIS_CONNECT_TIMEOUT_MS).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedisConnection(this.client);
  }
}
