import { authorization } from '@app/api-client';
import { freePort, RunningProcess, sleep, startBuiltApi, startBuiltWorker, SteadyLoad, TestRedis, unique, useOwnDatabase, waitUntil } from '@app/testing';
import { useApiTestApp } from './support/api-test-app';

/**
 * Redis (cache, rate-limit counters, queues) dies under steady read and write
 * load and comes back. The API and the real worker process share a Redis of
 * this suite's own (append-only file, so what it acknowledged survives, as on
 * a real server), which the suite SIGKILLs and restarts; and a database of
 * its own, so "nothing left in the outbox" speaks of this suite alone.
 */
describe('Redis outage under load', () => {
  jest.setTimeout(90_000);
  const prefix = `redis-outage:${unique('')}:`;
  let redis: TestRedis;
  let worker: RunningProcess;
  const database = useOwnDatabase();

  beforeAll(async () => {
    redis = await TestRedis.start();
    worker = await startBuiltWorker({
      ...database.env(),
      ...redis.env(),
      REDIS_KEY_PREFIX: prefix,
      WORKER_METRICS_PORT: String(await freePort()),
    });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await redis?.stop();
  });
  const ctx = useApiTestApp(() => ({ ...database.env(), ...redis.env(), REDIS_KEY_PREFIX: prefix }));

  it('keeps serving reads and writes, fails rate limits open, loses no event, and recovers without a restart', async () => {
    const api = ctx.api.typed;
    const [author, reader, fan] = [await ctx.api.register(), await ctx.api.register(), await ctx.api.register()];
    await ctx.api.follow(fan.token, author.username);
    await ctx.api.follow(reader.token, author.username);
    const tag = unique('outage');
    const first = await ctx.api.createArticle(author.token, { tagList: [tag] });
    const created: string[] = [first.slug];
    let comments = 0;

    const load = new SteadyLoad(6, async (loop, i) => {
      switch (loop) {
        case 0: {
          const { response, data } = await api.POST('/api/articles', {
            body: { article: { title: unique('Outage '), description: 'd', body: 'b', tagList: [tag] } },
            headers: authorization(author.token),
          });
          if (data) created.push(data.article.slug);
          return { what: 'create article', status: response.status };
        }
        case 1: {
          const { response } = await api.POST('/api/articles/{slug}/comments', {
            params: { path: { slug: first.slug } },
            body: { comment: { body: `c${i}` } },
            headers: authorization(reader.token),
          });
          if (response.ok) comments++;
          return { what: 'comment', status: response.status };
        }
        case 2:
          return { what: 'list', status: (await api.GET('/api/articles', { params: { query: { limit: 20 } } })).response.status };
        case 3:
          return { what: 'single article', status: (await api.GET('/api/articles/{slug}', { params: { path: { slug: first.slug } } })).response.status };
        case 4:
          return { what: 'feed', status: (await api.GET('/api/articles/feed', { headers: authorization(reader.token) })).response.status };
        default:
          return {
            what: i % 2 ? 'tags' : 'profile',
            status: (i % 2 ? await api.GET('/api/tags') : await api.GET('/api/profiles/{username}', { params: { path: { username: author.username } } }))
              .response.status,
          };
      }
    });

    await sleep(1500);
    await redis.crash();
    const okBeforeOutage = load.outcomes.ok;
    await sleep(1000);
    const duringOutage = await ctx.api.call('get', '/health/ready');
    await sleep(2500);
    const okDuringOutage = load.outcomes.ok - okBeforeOutage;
    await redis.resume();
    await sleep(2500);
    const outcomes = await load.stop();

    // Every request answered 2xx: reads from PostgreSQL, writes committed, rate limits failed open.
    expect(outcomes.failed).toEqual([]);
    expect(okDuringOutage).toBeGreaterThan(30);
    // Readiness reports Redis as degraded but keeps the instance in rotation.
    expect(duringOutage.status).toBe(200);
    expect(duringOutage.body).toMatchObject({ status: 'ok', degraded: ['redis'], details: { database: { status: 'up' }, redis: { status: 'down' } } });

    // Recovered by itself: readiness is clean again and the cache is used again.
    await waitUntil(async () => (await ctx.api.call('get', '/health/ready')).body.degraded === undefined, { what: 'Redis to be back in readiness' });
    const hits = async () =>
      Number(/conduit_cache_requests_total\{cache="article",result="hit",tier="local"\} (\d+)/.exec((await ctx.api.call('get', '/metrics')).text)?.[1] ?? 0);
    const hitsBefore = await hits();
    await ctx.api.call('get', `/api/articles/${first.slug}`).expect(200);
    await waitUntil(
      async () => {
        await ctx.api.call('get', `/api/articles/${first.slug}`).expect(200);
        return (await hits()) > hitsBefore;
      },
      { what: 'cache hits after Redis came back' },
    );

    // No event lost: every article written during the outage reached the fan through the worker,
    // and the author was told of every comment, each exactly once.
    const counts = async () => {
      const [row] = await ctx.db.query(
        `SELECT count(*) FILTER (WHERE n.type = 'article' AND n.recipient_id = f.id)::int AS articles,
                count(*) FILTER (WHERE n.type = 'comment' AND n.recipient_id = a.id)::int AS comments
           FROM notifications n, users f, users a WHERE f.username = $1 AND a.username = $2`,
        [fan.username, author.username],
      );
      return row as { articles: number; comments: number };
    };
    await waitUntil(
      async () => {
        const now = await counts();
        return now.articles >= created.length && now.comments >= comments;
      },
      { what: `${created.length} article and ${comments} comment notifications`, timeoutMs: 45_000 },
    );
    expect(await counts()).toEqual({ articles: created.length, comments });
    const [{ pending }] = await ctx.db.query('SELECT count(*)::int AS pending FROM outbox_events WHERE relayed_at IS NULL');
    expect(pending).toBe(0);
  });

  it('starts while Redis is down, serves from PostgreSQL, and uses Redis once it is there', async () => {
    const down = await TestRedis.notStarted();
    const started = Date.now();
    const api = await startBuiltApi({ ...database.env(), ...down.env(), REDIS_KEY_PREFIX: `${prefix}late:` });
    try {
      expect(Date.now() - started).toBeLessThan(20_000);
      const ready = await fetch(`${api.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ degraded: ['redis'] });
      expect((await fetch(`${api.url}/api/tags`)).status).toBe(200);
      await down.resume();
      await waitUntil(async () => ((await (await fetch(`${api.url}/health/ready`)).json()) as { degraded?: string[] }).degraded === undefined, {
        what: 'Redis to be used once it is there',
      });
      await waitUntil(
        async () => {
          await fetch(`${api.url}/api/tags`);
          return /conduit_cache_requests_total\{cache="tags",result="hit",tier="local"\} [1-9]/.test(await (await fetch(`${api.url}/metrics`)).text());
        },
        { what: 'cache hits once Redis is there' },
      );
    } finally {
      await api.stop();
      await down.stop();
    }
  });
});
