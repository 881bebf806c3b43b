import { loadConfig } from '@app/config';
import { Cluster } from 'ioredis';
import {
  clusterOptions,
  closeRedisConnection,
  createRedisConnection,
  reconnectDelayMs,
  redisOptions,
  REDIS_CONNECT_TIMEOUT_MS,
  RedisRole,
} from './redis-connections';
import { failOpen, IntermittentWarning } from './fail-open';
import { groupBySlot } from './hash-slots';

const base = { DATABASE_URL: 'postgres://u:p@db/conduit', REDIS_KEY_PREFIX: 'app:' };
const standalone = loadConfig({ ...base, REDIS_URL: 'redis://cache:6379' });
const sentinel = loadConfig({
  ...base,
  REDIS_URL: 'redis://ignored:6379',
  REDIS_SENTINELS: 'sentinel-a:26379, sentinel-b:26379,[::1]:26380',
  REDIS_SENTINEL_NAME: 'conduit',
  REDIS_PASSWORD: 'data-secret',
  REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
  REDIS_TLS: 'true',
});
const cluster = loadConfig({ ...base, REDIS_CLUSTER_NODES: 'node-1:7000,node-2:7001', REDIS_PASSWORD: 'data-secret' });
const ROLES: readonly RedisRole[] = ['commands', 'rate-limits', 'cache', 'subscriber', 'queues'];

describe('Redis connections (one factory, one set of rules, every topology)', () => {
  it('gives every role of every topology the same connect timeout and reconnect delays', () => {
    for (const role of ROLES) {
      for (const config of [standalone, sentinel]) {
        const options = redisOptions(config, role);
        expect(options.connectTimeout).toBe(REDIS_CONNECT_TIMEOUT_MS);
        expect(options.retryStrategy).toBe(reconnectDelayMs);
      }
      const options = clusterOptions(cluster, role);
      expect(options.clusterRetryStrategy).toBe(reconnectDelayMs);
      expect(options.redisOptions?.connectTimeout).toBe(REDIS_CONNECT_TIMEOUT_MS);
    }
    expect([1, 2, 5, 10, 100].map(reconnectDelayMs)).toEqual([200, 400, 1000, 2000, 2000]);
  });

  it('fails request-path commands fast and lets queues wait for Redis', () => {
    for (const role of ['commands', 'rate-limits', 'cache'] as const) {
      expect(redisOptions(standalone, role)).toMatchObject({ keyPrefix: 'app:', enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1000 });
      expect(clusterOptions(cluster, role)).toMatchObject({
        keyPrefix: 'app:',
        enableOfflineQueue: false,
        redisOptions: { maxRetriesPerRequest: 1, commandTimeout: 1000 },
      });
    }
    expect(redisOptions(standalone, 'queues')).toMatchObject({ maxRetriesPerRequest: null });
    expect(redisOptions(standalone, 'queues').keyPrefix).toBeUndefined(); // BullMQ refuses one: its keys carry its own prefix
    expect(clusterOptions(cluster, 'queues').keyPrefix).toBeUndefined();
    expect(redisOptions(standalone, 'subscriber')).toMatchObject({ keyPrefix: 'app:', lazyConnect: true });
    expect(clusterOptions(cluster, 'subscriber')).toMatchObject({ keyPrefix: 'app:', shardedSubscribers: true });
  });

  it('reconnects on READONLY (a demoted master) and resends only what queues sent', () => {
    const readonly = new Error('READONLY You cannot write against a read only replica.');
    expect(redisOptions(standalone, 'queues').reconnectOnError?.(readonly)).toBe(2);
    expect(redisOptions(standalone, 'commands').reconnectOnError?.(readonly)).toBe(1);
    expect(redisOptions(standalone, 'commands').reconnectOnError?.(new Error('WRONGTYPE'))).toBe(false);
  });

  it('asks the Sentinels for the master, with the data nodes’ and the Sentinels’ own credentials and TLS', () => {
    expect(redisOptions(sentinel, 'commands')).toMatchObject({
      sentinels: [
        { host: 'sentinel-a', port: 26379 },
        { host: 'sentinel-b', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      name: 'conduit',
      role: 'master',
      password: 'data-secret',
      sentinelPassword: 'sentinel-secret',
      tls: {},
      enableTLSForSentinelMode: true,
    });
    expect(redisOptions(standalone, 'commands').sentinels).toBeUndefined();
  });

  it('makes a Cluster client for Cluster nodes, with the data nodes’ credentials', async () => {
    expect(clusterOptions(cluster, 'commands').redisOptions).toMatchObject({ password: 'data-secret' });
    const client = createRedisConnection(loadConfig({ ...base, REDIS_CLUSTER_NODES: '127.0.0.1:1' }), 'subscriber', { quiet: true });
    expect(client).toBeInstanceOf(Cluster);
    await closeRedisConnection(client);
  });

  it('groups keys by hash slot on a Cluster only, so no multi-key command crosses slots', async () => {
    const client = createRedisConnection(loadConfig({ ...base, REDIS_CLUSTER_NODES: '127.0.0.1:1' }), 'subscriber', { quiet: true });
    const keys = ['a', 'b', '{tag}x', '{tag}y', 'a'];
    const groups = groupBySlot(client, keys);
    expect(groups.flat().sort()).toEqual([0, 1, 2, 3, 4]);
    expect(groups).toContainEqual([2, 3]); // one tag, one slot
    expect(groups).toContainEqual([0, 4]);
    await closeRedisConnection(client);
    const single = createRedisConnection(standalone, 'subscriber', { quiet: true });
    expect(groupBySlot(single, keys)).toEqual([[0, 1, 2, 3, 4]]);
    await closeRedisConnection(single);
  });
});

describe('failOpen', () => {
  it('answers undefined for a late or failed call and warns at most once per interval', async () => {
    const warnings: string[] = [];
    const warning = new IntermittentWarning({ warn: (message: string) => warnings.push(message) }, 60_000);
    expect(await failOpen(Promise.resolve(7), 50, warning, 'lookup')).toBe(7);
    expect(await failOpen(new Promise(() => undefined), 20, warning, 'lookup')).toBeUndefined();
    expect(await failOpen(Promise.reject(new Error('connection refused')), 20, warning, 'lookup')).toBeUndefined();
    expect(warnings).toEqual(['lookup skipped: no answer within 20 ms']);
  });
});
