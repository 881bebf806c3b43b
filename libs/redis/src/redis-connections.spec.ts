import { loadConfig } from '@app/config';
import { cacheStoreClientOptions, reconnectDelayMs, redisOptions, REDIS_CONNECT_TIMEOUT_MS } from './redis-connections';
import { failOpen, IntermittentWarning } from './fail-open';

const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db/conduit', REDIS_URL: 'redis://cache:6379', REDIS_KEY_PREFIX: 'app:' });

describe('Redis connections (one set of rules)', () => {
  it('gives every role the same connect timeout and reconnect delays', () => {
    for (const role of ['commands', 'rate-limits', 'subscriber', 'queues'] as const) {
      const options = redisOptions(config, role);
      expect(options.connectTimeout).toBe(REDIS_CONNECT_TIMEOUT_MS);
      expect(options.retryStrategy).toBe(reconnectDelayMs);
    }
    expect([1, 2, 5, 10, 100].map(reconnectDelayMs)).toEqual([200, 400, 1000, 2000, 2000]);
    const store = cacheStoreClientOptions(config);
    expect(store.socket.connectTimeout).toBe(REDIS_CONNECT_TIMEOUT_MS);
    expect([0, 1, 4].map(store.socket.reconnectStrategy)).toEqual([200, 400, 1000]);
  });

  it('fails request-path commands fast and lets queues wait for Redis', () => {
    expect(redisOptions(config, 'commands')).toMatchObject({ keyPrefix: 'app:', enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1000 });
    expect(redisOptions(config, 'rate-limits')).toMatchObject({ keyPrefix: 'app:', enableOfflineQueue: false });
    expect(redisOptions(config, 'queues')).toMatchObject({ maxRetriesPerRequest: null });
    expect(redisOptions(config, 'queues').keyPrefix).toBeUndefined();
    expect(redisOptions(config, 'subscriber')).toMatchObject({ lazyConnect: true });
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
