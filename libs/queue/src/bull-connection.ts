import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { closeRedisConnection, createRedisConnection, RedisClient, redisOptions } from '@app/redis';
import type { ConnectionOptions, Queue, RedisOptions } from 'bullmq';
import type { QueueName } from './queues';

/**
 * Where a queue's keys live: `<REDIS_KEY_PREFIX>bull:{<queue>}`. BullMQ's scripts touch many keys
 * of one queue at once, so on a Redis Cluster they must share a slot: the braces make the queue
 * name their hash tag, one slot per queue, the queues spread over the nodes.
 */
export function queuePrefix(config: AppConfig, queue: QueueName): string {
  return `${config.redis.keyPrefix}bull:{${queue}}`;
}

/**
 * BullMQ's connection, made by @app/redis (role `queues`) for the configured topology. A
 * standalone server or Sentinel: options, from which BullMQ opens (and closes) its own connections.
 * A Cluster: BullMQ takes only a connection, so one made here is shared by every queue and worker
 * (BullMQ adds its own blocking connections), and closed by this provider after BullMQ closed the
 * queues (global modules stop last).
 */
@Injectable()
export class QueueConnection implements OnApplicationShutdown {
  private shared: RedisClient | undefined;

  for(config: AppConfig): ConnectionOptions {
    const { topology } = config.redis;
    if (topology.kind === 'cluster') return (this.shared ??= createRedisConnection(config, 'queues'));
    const options = redisOptions(config, 'queues') as RedisOptions; // bullmq declares ioredis's options with its own copy: the same shape
    return topology.kind === 'standalone' ? { ...options, url: topology.url } : options;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.shared) await closeRedisConnection(this.shared);
  }
}

/**
 * The ioredis connection a queue sends its commands on (for commands about those writes, such as
 * WAIT). BullMQ's Redis backend hands it out behind a proxy of its own interface, which forwards
 * every ioredis method and property to the connection made from `QueueConnection`.
 */
export async function queueRedisConnection(queue: Queue): Promise<RedisClient> {
  return (await queue.backend.connection.client) as unknown as RedisClient;
}
