import { Server } from 'node:http';
import { WEBHOOK_HEADERS } from '@app/queue';
import { freePort, RunningProcess, sleep, startBuiltWorker, startReceiver, TestRedis, unique, useOwnDatabase, useBuiltApi, waitUntil } from '@app/testing';

const FOLLOWERS = 120;
const ARTICLES = 6;
const COMMENTS = 12;
const CONCURRENCY = 4;

/**
 * The worker is SIGKILLed while it fans notifications out and delivers
 * webhooks, then started again. Every job must complete and nothing may be
 * written twice. Its own Redis and database keep the counts exact.
 */
describe('worker crash during fan-out and webhook deliveries', () => {
  jest.setTimeout(120_000);
  const prefix = `worker-crash:${unique('')}:`;
  const database = useOwnDatabase();
  let redis: TestRedis;
  let receiver: { url: string; received: { headers: Record<string, unknown> }[]; server: Server };
  const workerEnv = async () => ({
    ...database.env(),
    ...redis.env(),
    REDIS_KEY_PREFIX: prefix,
    WORKER_METRICS_PORT: String(await freePort()),
    WORKER_CONCURRENCY: String(CONCURRENCY),
    // One follower per fan-out job: long chains of jobs, so the crash lands in the middle of them.
    NOTIFICATION_FANOUT_BATCH_SIZE: '1',
  });
  let worker: RunningProcess | undefined;

  beforeAll(async () => {
    redis = await TestRedis.start();
    // A slow receiver keeps deliveries in flight when the worker dies.
    receiver = await startReceiver(() => 200, 150);
  });
  afterAll(async () => {
    await worker?.stop();
    receiver?.server.close();
    await redis?.stop();
  });
  const ctx = useBuiltApi(() => ({ ...database.env(), ...redis.env(), REDIS_KEY_PREFIX: prefix }));

  it('completes every job after a restart, without a duplicated notification or delivery', async () => {
    const author = await ctx.api.register();
    await ctx.api
      .call('post', '/api/webhooks', { token: author.token, body: { webhook: { url: receiver.url, events: ['article.published', 'comment.created'] } } })
      .expect(201);
    const followers = [];
    for (let i = 0; i < FOLLOWERS; i++) {
      const follower = await ctx.api.register();
      await ctx.api.follow(follower.token, author.username);
      followers.push(follower);
    }
    const articles = [];
    for (let i = 0; i < ARTICLES; i++) articles.push(await ctx.api.createArticle(author.token, { title: unique('Crash ') }));
    for (let i = 0; i < COMMENTS; i++) {
      await ctx.api
        .call('post', `/api/articles/${articles[i % ARTICLES].slug}/comments`, { token: followers[i].token, body: { comment: { body: `c${i}` } } })
        .expect(200);
    }
    // Everything waits in the outbox; the worker starts now.
    const expected = { articleNotifications: FOLLOWERS * ARTICLES, commentNotifications: COMMENTS, deliveries: ARTICLES + COMMENTS };
    const state = async () => {
      const [row] = await ctx.db.query(
        `SELECT (SELECT count(*)::int FROM notifications WHERE type = 'article') AS "articleNotifications",
                (SELECT count(*)::int FROM notifications WHERE type = 'comment') AS "commentNotifications",
                (SELECT count(*)::int FROM webhook_deliveries) AS deliveries,
                (SELECT count(*)::int FROM webhook_deliveries WHERE status = 'delivered') AS delivered,
                (SELECT count(*)::int FROM outbox_events WHERE relayed_at IS NULL) AS pending`,
      );
      return row as { articleNotifications: number; commentNotifications: number; deliveries: number; delivered: number; pending: number };
    };

    worker = await startBuiltWorker(await workerEnv());
    await waitUntil(
      async () => {
        const now = await state();
        return now.articleNotifications > 0 && receiver.received.length > 0;
      },
      { what: 'fan-out and deliveries under way', intervalMs: 10 },
    );
    await worker.kill();
    const atCrash = await state();
    // The crash really interrupted both kinds of work.
    expect(atCrash.articleNotifications).toBeLessThan(expected.articleNotifications);
    expect(atCrash.delivered).toBeLessThan(expected.deliveries);

    worker = await startBuiltWorker(await workerEnv());
    await waitUntil(
      async () => {
        const now = await state();
        return now.articleNotifications === expected.articleNotifications && now.delivered === expected.deliveries && now.commentNotifications === COMMENTS;
      },
      { what: 'every job done after the restart', timeoutMs: 60_000, intervalMs: 250 },
    );
    // Settle, then check nothing was written twice (the unique keys would refuse it; the counts say none was attempted past them).
    await sleep(1000);
    expect(await state()).toEqual({ ...expected, delivered: expected.deliveries, pending: 0 });
    const perRecipient: { max: number }[] = await ctx.db.query(
      'SELECT max(c)::int AS max FROM (SELECT count(*) AS c FROM notifications GROUP BY event_id, recipient_id) t',
    );
    expect(perRecipient[0].max).toBe(1);

    // Every delivery reached the receiver. An HTTP call cannot be exactly-once: only a delivery in
    // flight at the crash may have been sent again (receivers deduplicate on its id).
    const ids = receiver.received.map((request) => String(request.headers[WEBHOOK_HEADERS.delivery]));
    expect(new Set(ids).size).toBe(expected.deliveries);
    expect(ids.length - new Set(ids).size).toBeLessThanOrEqual(CONCURRENCY);
  });
});
