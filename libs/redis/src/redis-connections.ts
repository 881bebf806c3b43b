import { Logger } from '@nestjs/common';
import type { AppConfig, RedisConfig } from '@app/config';
import Redis, { Cluster, ClusterOptions, RedisOptions } from 'ioredis';
import { withTimeout } from './with-timeout';

/** A connection to Redis, whichever the topology: one server (or Sentinel's current master), or a Cluster. */
export type RedisClient = Redis | Cluster;

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
 * - `cache`: the same rules for the cache store, whose values are the largest thing sent;
 *   concurrent reads share round trips (auto-pipelining).
 * - `subscriber`: sharded pub/sub (SSUBSCRIBE; on a Cluster, to the node of the channel's slot);
 *   connects when asked (it subscribes on every `ready`). Channels, like keys, are under the prefix.
 * - `queues`: BullMQ. Workers block on Redis and BullMQ requires unlimited retries and the
 *   offline queue; its keys carry BullMQ's own prefix, so no key prefix here.
 */
export type RedisRole = 'commands' | 'rate-limits' | 'cache' | 'subscriber' | 'queues';

/** How a connection of `role` behaves, whatever the topology. */
function roleOptions(redis: RedisConfig, role: RedisRole): RedisOptions {
  switch (role) {
    case 'commands':
    case 'rate-limits':
    case 'cache':
      return {
        keyPrefix: redis.keyPrefix,
        commandTimeout: 1000,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        enableAutoPipelining: role !== 'commands',
      };
    case 'subscriber':
      return { keyPrefix: redis.keyPrefix, lazyConnect: true };
    case 'queues':
      return { maxRetriesPerRequest: null };
  }
}

/**
 * A command sent to a master that was just demoted (a Sentinel failover, before the server
 * closed our connection) fails with READONLY: reconnect, which asks the Sentinels for the new
 * master. Queue connections also resend the command (2); the others fail it (1), as their
 * callers fail open.
 */
function reconnectOnReadOnly(role: RedisRole) {
  return (error: Error): 1 | 2 | false => (error.message.startsWith('READONLY') ? (role === 'queues' ? 2 : 1) : false);
}

/**
 * The ioredis options of a connection of `role` to a standalone server or through Sentinel:
 * one set of rules for every connection the system opens. (A Cluster takes the same rules
 * through `clusterOptions`.)
 */
export function redisOptions(config: AppConfig, role: RedisRole): RedisOptions {
  const { redis } = config;
  const options: RedisOptions = {
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    retryStrategy: reconnectDelayMs,
    reconnectOnError: reconnectOnReadOnly(role),
    ...roleOptions(redis, role),
  };
  const { topology } = redis;
  if (topology.kind !== 'sentinel') return options;
  return {
    ...options,
    sentinels: topology.sentinels.map(({ host, port }) => ({ host, port })),
    name: topology.masterName,
    role: 'master',
    username: redis.username,
    password: redis.password,
    tls: redis.tls ? {} : undefined,
    sentinelUsername: topology.sentinelUsername,
    sentinelPassword: topology.sentinelPassword,
    enableTLSForSentinelMode: topology.sentinelTls,
    sentinelTLS: topology.sentinelTls ? {} : undefined,
    // A Sentinel that does not answer is skipped after this long; the next one is asked.
    sentinelCommandTimeout: REDIS_CONNECT_TIMEOUT_MS,
    sentinelRetryStrategy: reconnectDelayMs,
    // Not ioredis's failoverDetector: its +switch-master handler cuts a reconnect that is under
    // way, which ends the connection for good (seen in redis-sentinel.e2e-spec). A failover is
    // followed when the old master's connections close: the Sentinels close them when they
    // demote it, and a dead master's close by themselves.
  };
}

/** The same rules for a Redis Cluster: per node, and for the cluster as a whole. */
export function clusterOptions(config: AppConfig, role: RedisRole): ClusterOptions {
  const { redis } = config;
  const { keyPrefix, enableOfflineQueue, enableAutoPipelining, lazyConnect, ...perNode } = roleOptions(redis, role);
  return {
    keyPrefix,
    enableOfflineQueue,
    enableAutoPipelining,
    lazyConnect,
    clusterRetryStrategy: reconnectDelayMs,
    // Commands during a failover (no master for a slot yet) are retried this often, within maxRetriesPerRequest.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    slotsRefreshTimeout: REDIS_CONNECT_TIMEOUT_MS,
    // SSUBSCRIBE goes to the master of the channel's slot, which delivers what SPUBLISH sends there at once.
    shardedSubscribers: role === 'subscriber',
    redisOptions: {
      ...perNode,
      connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
      username: redis.username,
      password: redis.password,
      tls: redis.tls ? {} : undefined,
    },
  };
}

/**
 * A new connection for `role` in the configured topology (REDIS_URL, REDIS_SENTINELS or
 * REDIS_CLUSTER_NODES). ioredis reconnects by itself (through Sentinel: to whichever server is
 * master then; in a Cluster: following its slots); each distinct error is logged once (not at
 * every retry) until the connection is ready again. `quiet` connections log nothing: their
 * callers report trouble.
 */
export function createRedisConnection(config: AppConfig, role: RedisRole, options: { quiet?: boolean } = {}): RedisClient {
  const { topology } = config.redis;
  const client: RedisClient =
    topology.kind === 'cluster'
      ? new Cluster(
          topology.nodes.map(({ host, port }) => ({ host, port })),
          clusterOptions(config, role),
        )
      : topology.kind === 'sentinel'
        ? new Redis(redisOptions(config, role))
        : new Redis(topology.url, redisOptions(config, role));
  const logger = new Logger(`Redis:${role}`);
  let lastError = '';
  const report = (error: Error) => {
    if (options.quiet || error.message === lastError) return;
    lastError = error.message;
    logger.warn(`Redis error: ${error.message}`);
  };
  client.on('error', report);
  client.on('node error', report);
  client.on('ready', () => (lastError = ''));
  return client;
}

/**
 * Resolves when `client` is connected and ready for commands (a Cluster: connected to every
 * master, which it otherwise does at each master's first command); rejects after `timeoutMs`.
 */
export async function whenReady(client: RedisClient, timeoutMs: number): Promise<void> {
  let onReady: (() => void) | undefined;
  const ready = async () => {
    if (client.status !== 'ready') await new Promise<void>((resolve) => client.once('ready', (onReady = resolve)));
    if (client instanceof Cluster) await Promise.all(client.nodes('master').map((master) => master.ping()));
  };
  try {
    await withTimeout(ready(), timeoutMs, `Redis not ready within ${timeoutMs} ms`);
  } finally {
    if (onReady) client.off('ready', onReady);
  }
}

/** Closes a connection, politely if Redis answers. */
export async function closeRedisConnection(client: RedisClient): Promise<void> {
  await client.quit().then(
    () => undefined,
    () => client.disconnect(),
  );
}
