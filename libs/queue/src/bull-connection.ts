import type { AppConfig } from '@app/config';
import { redisOptions } from '@app/redis';
import type { RedisOptions } from 'bullmq';

/** BullMQ's connection (REDIS_URL, role `queues` of @app/redis), with every key under REDIS_KEY_PREFIX + "bull". */
export function bullConnection(config: AppConfig): { connection: RedisOptions & { url: string }; prefix: string } {
  // bullmq types ioredis's options with its own copy of the declarations: the same shape.
  return { prefix: `${config.redisKeyPrefix}bull`, connection: { url: config.redisUrl, ...(redisOptions(config, 'queues') as RedisOptions) } };
}
