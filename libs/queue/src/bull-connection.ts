import type { AppConfig } from '@app/config';
import type { RedisOptions } from 'bullmq';

/** BullMQ's connection from REDIS_URL, with every key under REDIS_KEY_PREFIX + "bull". */
export function bullConnection(config: AppConfig): { connection: RedisOptions; prefix: string } {
  return {
    prefix: `${config.redisKeyPrefix}bull`,
    // Workers block on Redis; BullMQ requires unlimited retries per request for them.
    connection: { url: config.redisUrl, maxRetriesPerRequest: null },
  };
}
