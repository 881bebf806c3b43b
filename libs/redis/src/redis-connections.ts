import { Logger } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import Redis, { RedisOptions } from 'ioredis';

/** A connection attempt that takes longer has failed; the next one follows `reconnectDelayMs`. */
export const REDIS_CONNECT_TIMEOUT_MS = 1000;

/** Wait before reconnect attempt `attempt` (1, 2, ...): 200 ms more each time, at most 2 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(attempt * 200, 2000);
}

/**
 * What a connection is for, which decides how it behaves while Redis is away:
 * - `commands`: request-path commands (cache tokens, login lockout, health). A command fails at
 *   once while disconnected (no offline queue) and after 1 s without an answer: the callers
 *   fail open, and a request never waits on a Redis outage.
 * - `rate-limits`: the same rules on a connection of the limiter's own, so limit decisions never
 *   queue behind cache or queue traffic.
 * - `subscriber`: pub/sub; connects when asked (it subscribes on every `ready`).
 * - `queues`: BullMQ. Workers block on Redis and BullMQ requires unlimited retries and the
 *   offline queue; its keys carry BullMQ's own prefix, so no key prefix here.
 */
export type RedisRole = 'commands' | 'rate-limits' | 'subscriber' | 'queues';

/** The ioredis options of every connection the system opens, by role (the server is REDIS_URL): one set of rules. */
export function redisOptions(config: AppConfig, role: RedisRole): RedisOptions {
  const common: RedisOptions = { connectTimeout: REDIS_CONNECT_TIMEOUT_MS, retryStrategy: reconnectDelayMs };
  switch (role) {
    case 'commands':
    case 'rate-limits':
      return { ...common, keyPrefix: config.redisKeyPrefix, commandTimeout: 1000, maxRetriesPerRequest: 1, enableOfflineQueue: false };
    case 'subscriber':
      return { ...common, lazyConnect: true };
    case 'queues':
      return { ...common, maxRetriesPerRequest: null };
  }
}

/**
 * A new ioredis connection for `role`. ioredis reconnects by itself; each
 * distinct error is logged once (not at every retry) until the connection is
 * ready again. `quiet` connections log nothing: their callers report trouble.
 */
export function createRedisConnection(config: AppConfig, role: RedisRole, options: { quiet?: boolean } = {}): Redis {
  const client = new Redis(config.redisUrl, redisOptions(config, role));
  const logger = new Logger(`Redis:${role}`);
  let lastError = '';
  client.on('error', (error: Error) => {
    if (options.quiet || error.message === lastError) return;
    lastError = error.message;
    logger.warn(`Redis error: ${error.message}`);
  });
  client.on('ready', () => (lastError = ''));
  return client;
}

/**
 * The same rules for the cache store's client (@keyv/redis, which is built on
 * node-redis): no offline queue, the same connect timeout and reconnect delays.
 */
export function cacheStoreClientOptions(config: AppConfig) {
  return {
    url: config.redisUrl,
    disableOfflineQueue: true,
    socket: { connectTimeout: REDIS_CONNECT_TIMEOUT_MS, reconnectStrategy: (retries: number) => reconnectDelayMs(retries + 1) },
  };
}
