import { sleep, testConfig, unique, UNREACHABLE_REDIS, waitUntil } from '@app/testing';
import { closeRedisConnection, createRedisConnection, RedisClient, whenReady } from '@app/redis';
import { RateLimitStorage } from '../src/http/rate-limit/rate-limit.storage';
import { SharedHitCounter } from '../src/http/rate-limit/shared-hit-counter';
import { CREDENTIALS_THROTTLER, GENERAL_THROTTLER } from '../src/http/rate-limit/throttlers';

/**
 * The limiter's storage as two API instances use it: two storages over the
 * real Redis, one key prefix. Decisions near the limit are exact across
 * instances; far below it, hits reach Redis in batches.
 */
describe('rate-limit storage shared by instances (real Redis)', () => {
  const SYNC_MS = 50;
  const WINDOW_MS = 30_000;
  const prefix = `${process.env.REDIS_KEY_PREFIX}${unique('limiter-')}:`;
  const storages: RateLimitStorage[] = [];
  // Reads the shared counts as Redis holds them (the run's Redis, whichever topology).
  const probe: RedisClient = createRedisConnection(testConfig({ REDIS_KEY_PREFIX: prefix }), 'commands', { quiet: true });

  /** A limiter as an API instance makes it (its own connection, the connection rules of the rate-limits role), once that connection is up. */
  const storage = async (syncIntervalMs = SYNC_MS, redis: 'run' | 'unreachable' = 'run') => {
    const config = testConfig({ ...(redis === 'unreachable' ? UNREACHABLE_REDIS : {}), REDIS_KEY_PREFIX: prefix });
    const connection = createRedisConnection(config, 'rate-limits', { quiet: true });
    const made = new RateLimitStorage(new SharedHitCounter(connection), syncIntervalMs, () => closeRedisConnection(connection));
    storages.push(made);
    if (redis === 'run') await whenReady(connection, 10_000);
    return made;
  };
  const sharedHits = async (key: string) => Number((await probe.get(`throttle:{${key}}:hits`)) ?? 0);

  let a: RateLimitStorage;
  let b: RateLimitStorage;
  beforeAll(async () => {
    await whenReady(probe, 10_000);
    a = await storage();
    b = await storage();
  });
  afterAll(async () => {
    for (const made of storages) await made.onModuleDestroy();
    await closeRedisConnection(probe);
  });

  it('refuses exactly the hit past the limit when a client alternates between instances', async () => {
    const key = unique('alternating-');
    const blocked: boolean[] = [];
    for (let hit = 0; hit < 24; hit++) {
      const record = await (hit % 2 === 0 ? a : b).increment(key, WINDOW_MS, 20, WINDOW_MS, GENERAL_THROTTLER);
      blocked.push(record.isBlocked);
    }
    expect(blocked).toEqual([...Array(20).fill(false), ...Array(4).fill(true)]);
    const refused = await a.increment(key, WINDOW_MS, 20, WINDOW_MS, GENERAL_THROTTLER);
    expect(refused.timeToBlockExpire).toBeGreaterThan(25);
    expect(refused.timeToBlockExpire).toBeLessThanOrEqual(30);
  });

  it('far below the limit, counts hits locally and sends them within the sync interval', async () => {
    const key = unique('batched-');
    for (let hit = 0; hit < 40; hit++) expect((await a.increment(key, WINDOW_MS, 1000, WINDOW_MS, GENERAL_THROTTLER)).isBlocked).toBe(false);
    // The first hit of a window is counted in Redis before its decision; the others follow in a batch.
    expect(await sharedHits(key)).toBeLessThan(40);
    await waitUntil(async () => (await sharedHits(key)) >= 40, { what: 'the batch to reach Redis', timeoutMs: 5000 });
    expect(await sharedHits(key)).toBe(40);
    // The other instance sees them once it has heard from Redis.
    const record = await b.increment(key, WINDOW_MS, 1000, WINDOW_MS, GENERAL_THROTTLER);
    expect(record.totalHits).toBe(41);
  });

  it('bounds what a concurrent burst over two instances gets past the limit', async () => {
    const key = unique('burst-');
    const limit = 100;
    // Both instances know the window: from here on, each batches below half the limit.
    await a.increment(key, WINDOW_MS, limit, WINDOW_MS, GENERAL_THROTTLER);
    await b.increment(key, WINDOW_MS, limit, WINDOW_MS, GENERAL_THROTTLER);
    const burst = Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? a : b).increment(key, WINDOW_MS, limit, WINDOW_MS, GENERAL_THROTTLER));
    const allowed = (await Promise.all(burst)).filter((record) => !record.isBlocked).length + 2;
    expect(allowed).toBeGreaterThanOrEqual(limit);
    // At most what the other instance counted unsent below half the limit.
    expect(allowed).toBeLessThanOrEqual(limit * 1.5);
    await waitUntil(async () => (await sharedHits(key)) > limit, { what: 'the batches to reach Redis', timeoutMs: 5000 });
    expect((await a.increment(key, WINDOW_MS, limit, WINDOW_MS, GENERAL_THROTTLER)).isBlocked).toBe(true);
    expect((await b.increment(key, WINDOW_MS, limit, WINDOW_MS, GENERAL_THROTTLER)).isBlocked).toBe(true);
  });

  it('counts every credentials hit in Redis before deciding, and every hit when the interval is 0', async () => {
    const credentials = unique('login-');
    for (let hit = 1; hit <= 3; hit++) {
      await a.increment(credentials, WINDOW_MS, 1000, WINDOW_MS, CREDENTIALS_THROTTLER);
      expect(await sharedHits(credentials)).toBe(hit);
    }
    const exactEverywhere = await storage(0);
    const key = unique('exact-');
    for (let hit = 1; hit <= 3; hit++) {
      await exactEverywhere.increment(key, WINDOW_MS, 1000, WINDOW_MS, GENERAL_THROTTLER);
      expect(await sharedHits(key)).toBe(hit);
    }
  });

  it('starts a new window when the block ends', async () => {
    const key = unique('short-');
    const results: boolean[] = [];
    for (let hit = 0; hit < 4; hit++) results.push((await a.increment(key, 300, 3, 300, GENERAL_THROTTLER)).isBlocked);
    expect(results).toEqual([false, false, false, true]);
    await sleep(400);
    const record = await a.increment(key, 300, 3, 300, GENERAL_THROTTLER);
    expect(record).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('fails open when Redis does not answer', async () => {
    const unreachable = await storage(SYNC_MS, 'unreachable');
    const record = await unreachable.increment(unique('down-'), WINDOW_MS, 1, WINDOW_MS, GENERAL_THROTTLER);
    expect(record.isBlocked).toBe(false);
    expect((await unreachable.increment(unique('down-'), WINDOW_MS, 1, WINDOW_MS, GENERAL_THROTTLER)).isBlocked).toBe(false);
  });
});
