import { EventEmitter } from 'node:events';
import { closeRedisConnection, groupBySlot, RedisClient } from '@app/redis';
import { Cluster } from 'ioredis';
import type { KeyvStoreAdapter, StoredData } from 'keyv';

/**
 * The cache's Keyv store: entries as plain strings under `cache:` on an ioredis connection of
 * @app/redis, so the cache follows the same topology (standalone, Sentinel, Cluster) and the same
 * timeout and reconnect rules as every other Redis client of the system. (@keyv/redis would
 * bring node-redis, a second client library with its own failover behaviour; docs/caching.md.)
 *
 * Multi-key reads and writes never cross a Redis Cluster slot: MGET per slot, writes and deletes
 * per key (the connection pipelines them, one round trip per node).
 */
export class RedisCacheStore extends EventEmitter implements KeyvStoreAdapter {
  /** Keyv reads its adapters' options; this one has none. */
  readonly opts: Record<string, never> = {};
  namespace?: string;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix = 'cache:',
  ) {
    super();
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return ((await this.redis.get(this.prefix + key)) ?? undefined) as StoredData<Value> | undefined;
  }

  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    const full = keys.map((key) => this.prefix + key);
    const values: Array<string | undefined> = new Array<string | undefined>(keys.length);
    await Promise.all(
      this.groups(full).map(async (group) => {
        const found = await this.redis.mget(...group.map((i) => full[i]));
        group.forEach((i, j) => (values[i] = found[j] ?? undefined));
      }),
    );
    return values as Array<StoredData<Value | undefined>>;
  }

  async set(key: string, value: string, ttl?: number): Promise<boolean> {
    const reply = ttl ? await this.redis.set(this.prefix + key, value, 'PX', ttl) : await this.redis.set(this.prefix + key, value);
    return reply === 'OK';
  }

  async setMany(entries: Array<{ key: string; value: string; ttl?: number }>): Promise<void> {
    await Promise.all(entries.map(({ key, value, ttl }) => this.set(key, value, ttl)));
  }

  async has(key: string): Promise<boolean> {
    return (await this.redis.exists(this.prefix + key)) > 0;
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key)) > 0;
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    const deleted = await Promise.all(keys.map((key) => this.delete(key)));
    return deleted.some(Boolean);
  }

  /** Removes every cache entry of this deployment (every master of a Cluster), in batches. */
  async clear(): Promise<void> {
    const connectionPrefix = this.redis.options.keyPrefix ?? '';
    const servers = this.redis instanceof Cluster ? this.redis.nodes('master') : [this.redis];
    for (const server of servers) {
      let cursor = '0';
      do {
        const [next, found] = await server.scan(cursor, 'MATCH', `${escapeGlob(connectionPrefix + this.prefix)}*`, 'COUNT', 1000);
        cursor = next;
        // scan answers whole keys; the connection adds its prefix to what it is given
        await Promise.all(found.map((key) => this.redis.unlink(key.slice(connectionPrefix.length))));
      } while (cursor !== '0');
    }
  }

  async disconnect(): Promise<void> {
    await closeRedisConnection(this.redis);
  }

  /** Key positions by Cluster slot, computed on the keys as Redis sees them (with the connection's prefix). */
  private groups(keys: readonly string[]): number[][] {
    const connectionPrefix = this.redis.options.keyPrefix ?? '';
    return groupBySlot(
      this.redis,
      keys.map((key) => connectionPrefix + key),
    );
  }
}

const escapeGlob = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');
