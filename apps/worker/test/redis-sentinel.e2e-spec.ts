import { Server } from 'node:http';
import { authorization } from '@app/api-client';
import { QUEUES, WEBHOOK_HEADERS } from '@app/queue';
import {
  freePort,
  type Received,
  type RunningProcess,
  sleep,
  startBuiltWorker,
  startReceiver,
  SteadyLoad,
  TestRedis,
  type TestUser,
  unique,
  useBuiltApi,
  useOwnDatabase,
  waitUntil,
} from '@app/testing';

/**
 * Redis behind Sentinel (a master, a replica, three Sentinels on loopback) with the built API and
 * the real worker finding the master through the Sentinels. The master is failed over under a
 * steady mixed load, by an operator (SENTINEL FAILOVER) and by its death (SIGKILL); and once with
 * the replica held back, so the master dies holding jobs no replica has. Nothing acknowledged may
 * be lost and no event may take effect twice. A database of the suite's own keeps counts exact.
 */
describe('Redis Sentinel: failovers under load', () => {
  jest.setTimeout(180_000);
  const prefix = `sentinel:${unique('')}:`;
  const database = useOwnDatabase();
  let redis: TestRedis;
  let worker: RunningProcess | undefined;
  let receiver: { url: string; received: Received[]; server: Server };
  const startWorker = async (extra: Record<string, string> = {}) =>
    startBuiltWorker({ ...database.env(), ...redis.env(), REDIS_KEY_PREFIX: prefix, WORKER_METRICS_PORT: String(await freePort()), ...extra });

  beforeAll(async () => {
    redis = await TestRedis.start('sentinel');
    receiver = await startReceiver(() => 200);
    worker = await startWorker();
  }, 60_000);
  afterAll(async () => {
    // DEBUG_WORKER=1 npm test -- apps/worker/test/redis-sentinel: what the worker logged.
    if (process.env.DEBUG_WORKER) console.log(worker?.output());
    await worker?.stop();
    receiver?.server.close();
    await redis?.stop();
  });
  const ctx = useBuiltApi(() => ({ ...database.env(), ...redis.env(), REDIS_KEY_PREFIX: prefix }));
  const sentinel = () => redis.sentinel!;

  const count = async (sql: string, params: unknown[]) => Number((await ctx.db.query<{ n: number }>(sql, params))[0].n);
  const notificationsOf = (user: TestUser, type: string) =>
    count(`SELECT count(*)::int AS n FROM notifications n JOIN users u ON u.id = n.recipient_id WHERE u.username = $1 AND n.type = $2`, [user.username, type]);
  const unrelayed = () => count('SELECT count(*)::int AS n FROM outbox_events WHERE relayed_at IS NULL', []);

  it('keeps answering and loses no event through a SENTINEL FAILOVER and a killed master; the worker follows by itself', async () => {
    const api = ctx.api.typed;
    const [author, ...fans] = [await ctx.api.register(), await ctx.api.register(), await ctx.api.register(), await ctx.api.register()];
    for (const fan of fans) await ctx.api.follow(fan.token, author.username);
    await ctx.api
      .call('post', '/api/webhooks', { token: author.token, body: { webhook: { url: receiver.url, events: ['article.published', 'comment.created'] } } })
      .expect(201);
    const first = await ctx.api.createArticle(author.token);
    const created = [first.slug];
    let comments = 0;

    const load = new SteadyLoad(5, async (loop, i) => {
      switch (loop) {
        case 0: {
          const { response, data } = await api.POST('/api/articles', {
            body: { article: { title: unique('Failover '), description: 'd', body: 'b', tagList: ['failover'] } },
            headers: authorization(author.token),
          });
          if (data) created.push(data.article.slug);
          return { what: 'create article', status: response.status };
        }
        case 1: {
          const { response } = await api.POST('/api/articles/{slug}/comments', {
            params: { path: { slug: first.slug } },
            body: { comment: { body: `c${i}` } },
            headers: authorization(fans[i % fans.length].token),
          });
          if (response.ok) comments++;
          return { what: 'comment', status: response.status };
        }
        case 2:
          return { what: 'list', status: (await api.GET('/api/articles', { params: { query: { limit: 10, tag: 'failover' } } })).response.status };
        case 3:
          return { what: 'feed', status: (await api.GET('/api/articles/feed', { headers: authorization(fans[0].token) })).response.status };
        default:
          return { what: 'single article', status: (await api.GET('/api/articles/{slug}', { params: { path: { slug: first.slug } } })).response.status };
      }
    });

    await sleep(1500);
    const original = await sentinel().master();
    await sentinel().failover();
    const promoted = await sentinel().masterOtherThan(original);
    await sentinel().inSync(); // the old master follows the new one
    await sleep(1500);
    await promoted.kill();
    const survivor = await sentinel().masterOtherThan(promoted);
    await sleep(1500);
    const outcomes = await load.stop();
    await promoted.restart(); // comes back as a replica of the survivor (the Sentinels reconfigure it)

    // Every request answered 2xx through both failovers: writes go to PostgreSQL; the cache and the
    // rate limits failed open while no master answered.
    expect(outcomes.failed).toEqual([]);
    expect(survivor).toBe(original);
    expect(created.length).toBeGreaterThan(3);
    expect(comments).toBeGreaterThan(3);

    // Every event, before, during and after the failovers, took effect exactly once: each article
    // reached every fan, each comment its author, each delivery row was sent, and the worker (never
    // restarted) followed both failovers on its own.
    await waitUntil(async () => (await unrelayed()) === 0, { what: 'the outbox to be relayed', timeoutMs: 60_000 });
    for (const fan of fans) {
      await waitUntil(async () => (await notificationsOf(fan, 'article')) === created.length, {
        what: `${created.length} article notifications`,
        timeoutMs: 60_000,
      });
    }
    await waitUntil(async () => (await notificationsOf(author, 'comment')) === comments, { what: `${comments} comment notifications`, timeoutMs: 60_000 });
    const expectedDeliveries = created.length + comments;
    await waitUntil(async () => (await count(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'delivered'`, [])) === expectedDeliveries, {
      what: `${expectedDeliveries} delivered webhooks`,
      timeoutMs: 60_000,
    });
    expect(await count('SELECT count(*)::int AS n FROM webhook_deliveries', [])).toBe(expectedDeliveries);
    const delivered = new Set(receiver.received.map((request) => request.headers[WEBHOOK_HEADERS.delivery]));
    expect(delivered.size).toBe(expectedDeliveries);
    for (const fan of fans) expect(await notificationsOf(fan, 'article')).toBe(created.length);
    expect(await notificationsOf(author, 'comment')).toBe(comments);
    expect(worker?.running).toBe(true);
  });

  /**
   * The replica is held back (SIGSTOP) and its link cut while events are relayed, so their jobs
   * exist on the master only; then the master dies and the replica, let go, is promoted without them. The events queue is
   * paused meanwhile (BullMQ's flag, replicated before), so the worker cannot consume the jobs before
   * the master dies: what reaches the users afterwards came through the new master.
   */
  const loseTheMasterBeforeItReplicates = async (followers: number, relay: 'waits for a replica' | 'marks at once') => {
    await sentinel().inSync();
    const star = await ctx.api.register();
    const fans = await Promise.all(Array.from({ length: followers }, () => ctx.api.register()));
    const events = redis.queue(QUEUES.events, prefix);
    try {
      await events.pause();
      await sentinel().inSync(); // the pause flag is on the replica too
      const master = await sentinel().master();
      const replica = sentinel().servers.find((server) => server !== master && server.process.running)!;
      replica.pause();
      await sentinel().cutReplication();
      for (const fan of fans) await ctx.api.follow(fan.token, star.username);
      // The relay has queued them (on the master only: its replica does not answer).
      await waitUntil(async () => (await events.getJobs(['waiting'])).flatMap((job) => job.data.events ?? []).length >= followers, {
        what: 'the follow events to be queued on the master',
      });
      const unrelayedFollows = () => count(`SELECT count(*)::int AS n FROM outbox_events WHERE relayed_at IS NULL AND type = 'user.followed'`, []);
      // Waiting for a replica, a pass can never mark them while the replica is held back; marking at
      // once, the pass that queued them marks them in its next statement.
      if (relay === 'marks at once') await waitUntil(async () => (await unrelayedFollows()) === 0, { what: 'the follow events to be marked relayed' });
      const relayedBeforeTheLoss = followers - (await unrelayedFollows());
      await master.kill();
      replica.unpause();
      const promoted = await sentinel().masterOtherThan(master);
      await events.resume();
      // Back as a replica of the new master, as a returning server is started (the Sentinels would
      // convert it too, but only after it has been up for a while).
      await master.restart(['--replicaof', '127.0.0.1', String(promoted.port)]);
      return { star, relayedBeforeTheLoss, events };
    } catch (error) {
      await events.close();
      throw error;
    }
  };

  it('marks an event relayed only once a replica holds its job: a master lost before replicating loses nothing', async () => {
    const { star, relayedBeforeTheLoss, events } = await loseTheMasterBeforeItReplicates(5, 'waits for a replica');
    try {
      expect(relayedBeforeTheLoss).toBe(0); // WAIT found no replica: none was marked
      await waitUntil(async () => (await notificationsOf(star, 'follow')) === 5, { what: 'five follow notifications', timeoutMs: 60_000 });
      // Marked relayed once a replica holds their jobs again: the old master, back and synced.
      await sentinel().inSync();
      await waitUntil(async () => (await unrelayed()) === 0, { what: 'the outbox to be relayed', timeoutMs: 30_000 });
      expect(await notificationsOf(star, 'follow')).toBe(5);
    } finally {
      await events.close();
    }
  });

  it('without waiting for a replica (REDIS_JOB_REPLICAS=0) the same loss takes the events with it: what the wait is for', async () => {
    await worker?.stop();
    worker = await startWorker({ REDIS_JOB_REPLICAS: '0' });
    try {
      const { star, relayedBeforeTheLoss, events } = await loseTheMasterBeforeItReplicates(3, 'marks at once');
      try {
        expect(relayedBeforeTheLoss).toBe(3); // marked relayed while their jobs were on the master alone
        await waitUntil(async () => (await events.getJobCounts('waiting', 'active', 'delayed')).waiting === 0, { what: 'the events queue to drain' });
        const ids = (
          await ctx.db.query<{ id: string }>(
            `SELECT o.id::text AS id FROM outbox_events o WHERE o.type = 'user.followed' AND (o.payload->>'followeeId')::int = (SELECT id FROM users WHERE username = $1)`,
            [star.username],
          )
        ).map((row) => row.id);
        const queued = (await events.getJobs(['completed', 'waiting', 'active', 'delayed', 'failed'])).flatMap((job) => job.data.events ?? []);
        expect(queued.filter((event: { eventId: string }) => ids.includes(event.eventId))).toEqual([]);
        expect(await notificationsOf(star, 'follow')).toBe(0);
      } finally {
        await events.close();
      }
    } finally {
      await worker?.stop();
      worker = await startWorker();
    }
  });
});
