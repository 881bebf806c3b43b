import { ALL_QUEUES, QUEUES } from '@app/queue';
import { freePort, type RunningProcess, startBuiltWorker, TestRedis, type TestUser, unique, useOwnDatabase, waitUntil } from '@app/testing';
import { Cluster } from 'ioredis';
import { useApiTestApp } from './support/api-test-app';

/**
 * The API and the real worker on a six-node Redis Cluster (three masters, a replica each) of the
 * suite's own. After a mixed load, every key is counted on the master that holds it: the keys of
 * one multi-key command share a slot (no command may cross slots, and none did: every request
 * succeeded and the worker did all its work), while the data as a whole spreads over the nodes.
 */
describe('Redis Cluster: hash-tagged keys spread over the nodes', () => {
  jest.setTimeout(120_000);
  const prefix = `cluster-keys:${unique('')}:`;
  const database = useOwnDatabase();
  let redis: TestRedis;
  let worker: RunningProcess;
  beforeAll(async () => {
    redis = await TestRedis.start('cluster');
    worker = await startBuiltWorker({ ...database.env(), ...redis.env(), REDIS_KEY_PREFIX: prefix, WORKER_METRICS_PORT: String(await freePort()) });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await redis?.stop();
  });
  // Exact rate limits, so every hit reaches its key on the cluster at once.
  const ctx = useApiTestApp(() => ({ ...database.env(), ...redis.env(), REDIS_KEY_PREFIX: prefix, RATE_LIMIT_SYNC_INTERVAL_MS: '0' }));

  /** Every key under the suite's prefix, by the port of the master that holds it. */
  const keysByMaster = async (): Promise<Map<number, string[]>> => {
    const client = await redis.connect();
    try {
      const byMaster = new Map<number, string[]>();
      for (const master of (client as Cluster).nodes('master')) {
        const found: string[] = [];
        let cursor = '0';
        do {
          const [next, keys] = await master.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          cursor = next;
          found.push(...keys.map((key) => key.slice(prefix.length)));
        } while (cursor !== '0');
        byMaster.set(Number(master.options.port), found);
      }
      return byMaster;
    } finally {
      client.disconnect();
    }
  };
  /** The masters holding keys that match `pattern`. */
  const mastersOf = (byMaster: Map<number, string[]>, pattern: RegExp) =>
    [...byMaster].filter(([, keys]) => keys.some((key) => pattern.test(key))).map(([port]) => port);

  it('keeps each command in one slot and spreads cache entries, rate limits, lockouts and queues over the masters', async () => {
    const users: TestUser[] = [];
    for (let i = 0; i < 6; i++) users.push(await ctx.api.register());
    let comments = 0;
    for (const [i, user] of users.entries()) {
      const client = { 'X-Forwarded-For': `198.51.100.${i + 1}` };
      const next = users[(i + 1) % users.length];
      await ctx.api.follow(user.token, next.username);
      const article = await ctx.api.createArticle(user.token, { tagList: [unique('spread')] });
      await ctx.api.call('post', `/api/articles/${article.slug}/favorite`, { token: next.token }).expect(200);
      await ctx.api.call('post', `/api/articles/${article.slug}/comments`, { token: next.token, body: { comment: { body: 'hi' } } }).expect(200);
      comments++;
      // Reads from clients of their own: cache entries and rate-limit counts under many keys.
      await ctx.api.call('get', `/api/articles/${article.slug}`, { headers: client }).expect(200);
      await ctx.api.call('get', `/api/articles?tag=${encodeURIComponent(article.tagList[0])}`, { headers: client }).expect(200);
      await ctx.api.call('get', `/api/articles?author=${user.username}`, { headers: client }).expect(200);
      await ctx.api.call('get', `/api/profiles/${user.username}`, { headers: client }).expect(200);
      // A wrong password: the account's lockout keys.
      await ctx.api.call('post', '/api/users/login', { body: { user: { email: user.email, password: 'wrong' } }, headers: client }).expect(401);
    }
    // The worker did every job: follows, favorites and comments notified their users.
    await waitUntil(
      async () => {
        const [{ n }] = await ctx.db.query(`SELECT count(*)::int AS n FROM notifications WHERE type IN ('follow', 'favorite', 'comment')`);
        return n === users.length * 2 + comments;
      },
      { what: 'every notification', timeoutMs: 60_000 },
    );

    const byMaster = await keysByMaster();
    expect(byMaster.size).toBe(3);
    // Cache entries (no tag: each its own slot) and rate-limit counts are on every master.
    expect(mastersOf(byMaster, /^cache:(?!\{generations\})/)).toHaveLength(3);
    expect(mastersOf(byMaster, /^throttle:/).length).toBeGreaterThanOrEqual(2);
    // The generation tokens are read with one MGET and replaced in one transaction: one slot.
    expect(mastersOf(byMaster, /^cache:\{generations\}:/)).toHaveLength(1);
    // A lockout script touches an account's three keys: each account's keys on one master, the accounts on several.
    const accounts = new Set([...byMaster.values()].flat().flatMap((key) => /^login:\{([0-9a-f]+)\}:/.exec(key)?.[1] ?? []));
    expect(accounts.size).toBe(users.length);
    for (const account of accounts) expect(mastersOf(byMaster, new RegExp(`^login:\\{${account}\\}:`))).toHaveLength(1);
    expect(mastersOf(byMaster, /^login:/).length).toBeGreaterThanOrEqual(2);
    // BullMQ's scripts touch many keys of one queue: each queue in one slot, the queues on several masters.
    // (A queue that never had a job may have no keys yet; events and maintenance always have.)
    for (const queue of ALL_QUEUES) expect(mastersOf(byMaster, new RegExp(`^bull:\\{${queue}\\}:`)).length).toBeLessThanOrEqual(1);
    for (const queue of [QUEUES.events, QUEUES.maintenance]) expect(mastersOf(byMaster, new RegExp(`^bull:\\{${queue}\\}:`))).toHaveLength(1);
    expect(mastersOf(byMaster, /^bull:/).length).toBeGreaterThanOrEqual(2);
  });
});
