import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { EventBatchJob, NOTIFICATION_TYPES, QueueName, QUEUES, verifyWebhookSignature, WEBHOOK_HEADERS } from '@app/queue';
import {
  freePort,
  RunningProcess,
  sleep,
  startBuiltWorker,
  startReceiver,
  TestRedis,
  TestUser,
  tokenIdOf,
  unique,
  useBuiltApi,
  waitUntil,
  walkPages,
} from '@app/testing';
import type { Queue } from 'bullmq';

/**
 * The API (in-process) records events in the outbox; the real worker process
 * relays and consumes them. The worker has a Redis of its own (one server; a
 * Cluster in npm test's Cluster pass), so this suite can take it down without
 * disturbing the others.
 */
describe('background jobs (real worker process)', () => {
  // Each test waits for a separate process to do work; 5 s is too tight on a busy 2-core machine.
  jest.setTimeout(30_000);
  const prefix = `jobs-test:${unique('')}:`;
  let redis: TestRedis;
  let worker: RunningProcess;
  let metricsPort: number;
  const receivers: Server[] = [];
  const queue = (name: QueueName) => redis.queue(name, prefix);
  /** The relayed event with this outbox id, from the events job that carried it. */
  const eventInQueue = (events: Queue<EventBatchJob>, eventId: string) =>
    waitUntil(
      async () => {
        const jobs = await events.getJobs(['completed', 'active', 'waiting', 'delayed', 'failed']);
        return jobs.flatMap((job) => job.data.events ?? []).find((event) => event.eventId === eventId);
      },
      { what: `the events job of event ${eventId}` },
    );

  /** Resolves once this worker's queue has nothing waiting, delayed or running: no job is left to change anything. */
  const queueIdle = async (name: QueueName) => {
    const idle = queue(name);
    try {
      await waitUntil(
        async () => Object.values(await idle.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')).every((count) => count === 0),
        {
          what: `the ${name} queue to be idle`,
        },
      );
    } finally {
      await idle.close();
    }
  };

  beforeAll(async () => {
    redis = await TestRedis.start();
    metricsPort = await freePort();
    worker = await startBuiltWorker({
      ...redis.env(),
      REDIS_KEY_PREFIX: prefix,
      WORKER_METRICS_PORT: String(metricsPort),
      NOTIFICATION_FANOUT_BATCH_SIZE: '2',
    });
  }, 60_000);
  afterAll(async () => {
    // DEBUG_WORKER=1 npm test -- apps/api/test/background: print what the worker logged.
    if (process.env.DEBUG_WORKER) console.log(worker?.output());
    await worker?.kill();
    for (const server of receivers) server.close();
    await redis?.stop();
  });
  const ctx = useBuiltApi();

  const notificationsOf = async (user: TestUser) => (await ctx.api.call('get', '/api/notifications', { token: user.token }).expect(200)).body;

  it('notifies on follow, favorite and comment; lists newest first with an unread count; marks read', async () => {
    const [author, fan] = [await ctx.api.register(), await ctx.api.register()];
    const article = await ctx.api.createArticle(author.token, { title: unique('Notified ') });
    await ctx.api.follow(fan.token, author.username);
    await ctx.api.call('post', `/api/articles/${article.slug}/favorite`, { token: fan.token }).expect(200);
    await ctx.api.call('post', `/api/articles/${article.slug}/comments`, { token: fan.token, body: { comment: { body: 'Lovely' } } }).expect(200);
    // the author's own comment notifies nobody
    await ctx.api.call('post', `/api/articles/${article.slug}/comments`, { token: author.token, body: { comment: { body: 'Thanks' } } }).expect(200);

    const list = await waitUntil(
      async () => {
        const body = await notificationsOf(author);
        return body.notificationsCount === 3 && body;
      },
      { what: 'three notifications for the author' },
    );
    expect(list.unreadCount).toBe(3);
    expect(list.notifications.map((n: { type: string }) => n.type)).toEqual(['comment', 'favorite', 'follow']);
    expect(list.notifications[0]).toMatchObject({
      read: false,
      actor: { username: fan.username },
      article: { slug: article.slug },
      comment: { body: 'Lovely' },
      createdAt: expect.stringMatching(/Z$/),
    });

    const paged = (await ctx.api.call('get', '/api/notifications?limit=1&offset=1', { token: author.token }).expect(200)).body;
    expect(paged).toMatchObject({ notificationsCount: 3, notifications: [{ type: 'favorite' }] });
    const one = list.notifications[2].id;
    expect((await ctx.api.call('post', '/api/notifications/read', { token: author.token, body: { ids: [one] } }).expect(200)).body).toEqual({ unreadCount: 2 });
    // someone else's ids change nothing: neither the author's notification nor the fan's count
    const fanUnread = (await notificationsOf(fan)).unreadCount;
    expect(
      (await ctx.api.call('post', '/api/notifications/read', { token: fan.token, body: { ids: [list.notifications[0].id] } }).expect(200)).body.unreadCount,
    ).toBe(fanUnread);
    expect((await notificationsOf(author)).unreadCount).toBe(2);
    expect((await ctx.api.call('post', '/api/notifications/read', { token: author.token, body: {} }).expect(200)).body).toEqual({ unreadCount: 0 });
    await ctx.api.call('get', '/api/notifications').expect(401);
    await ctx.api.call('post', '/api/notifications/read', { token: author.token, body: { ids: ['x'] } }).expect(422);
  });

  it("writes exactly the notification types of @app/queue, which the table's CHECK constraint allows", async () => {
    const [{ definition }] = await ctx.db.query<{ definition: string }>(
      `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conname = 'notifications_type_known'`,
    );
    expect([...definition.matchAll(/'(\w+)'/g)].map((match) => match[1]).sort()).toEqual([...NOTIFICATION_TYPES].sort());
  });

  it('fans a new article out to every follower in batches', async () => {
    const author = await ctx.api.register();
    const followers = await Promise.all(Array.from({ length: 5 }, () => ctx.api.register()));
    for (const follower of followers) await ctx.api.follow(follower.token, author.username);
    const article = await ctx.api.createArticle(author.token, { title: unique('Fan-out ') });
    for (const follower of followers) {
      await waitUntil(
        async () =>
          (await notificationsOf(follower)).notifications.some(
            (n: { type: string; article: { slug: string } | null }) => n.type === 'article' && n.article?.slug === article.slug,
          ),
        {
          what: `the article notification for ${follower.username}`,
        },
      );
    }
    const [{ count }] = await ctx.db.query(
      `SELECT count(*)::int AS count FROM notifications n JOIN articles a ON a.id = n.article_id WHERE a.slug = $1 AND n.type = 'article'`,
      [article.slug],
    );
    expect(count).toBe(5);
    const fanout = queue(QUEUES.notificationFanout);
    try {
      // batch size 2: the first two followers in the event's own job, then one fan-out job after
      // the 2nd and one after the 4th follower id
      const done = await fanout.getCompleted();
      expect(done.filter((job) => job.data.articleId !== undefined && job.returnvalue !== undefined).length).toBeGreaterThanOrEqual(2);
    } finally {
      await fanout.close();
    }
  });

  it("delivers signed webhooks for events on the owner's content and records the delivery", async () => {
    const receiver = await startReceiver(() => 200);
    receivers.push(receiver.server);
    const [owner, visitor] = [await ctx.api.register(), await ctx.api.register()];
    const created = (
      await ctx.api
        .call('post', '/api/webhooks', { token: owner.token, body: { webhook: { url: receiver.url, events: ['comment.created', 'user.followed'] } } })
        .expect(201)
    ).body.webhook;
    expect(created).toMatchObject({
      id: expect.any(Number),
      url: receiver.url,
      events: ['comment.created', 'user.followed'],
      secret: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((await ctx.api.call('get', '/api/webhooks', { token: owner.token }).expect(200)).body.webhooks[0]).not.toHaveProperty('secret');

    const article = await ctx.api.createArticle(owner.token); // article.published: not subscribed
    await ctx.api.follow(visitor.token, owner.username);
    await ctx.api.call('post', `/api/articles/${article.slug}/comments`, { token: visitor.token, body: { comment: { body: 'hello hook' } } }).expect(200);

    await waitUntil(() => receiver.received.length >= 2, { what: 'two webhook deliveries' });
    // Settled before counting: every event about the owner relayed, every delivery final, no job left.
    await waitUntil(
      async () => {
        const [{ pending }] = await ctx.db.query(
          `SELECT count(*)::int AS pending FROM outbox_events WHERE relayed_at IS NULL
            AND ((payload->>'followeeId')::int = (SELECT id FROM users WHERE username = $1) OR (payload->>'articleAuthorId')::int = (SELECT id FROM users WHERE username = $1))`,
          [owner.username],
        );
        const [{ unsettled }] = await ctx.db.query(`SELECT count(*)::int AS unsettled FROM webhook_deliveries WHERE webhook_id = $1 AND status = 'pending'`, [
          created.id,
        ]);
        return pending === 0 && unsettled === 0;
      },
      { what: "the owner's events relayed and their deliveries final" },
    );
    await queueIdle(QUEUES.events);
    await queueIdle(QUEUES.webhookDelivery);
    expect(receiver.received).toHaveLength(2);
    for (const delivery of receiver.received) {
      const timestamp = Number(delivery.headers[WEBHOOK_HEADERS.timestamp]);
      expect(Math.abs(Date.now() / 1000 - timestamp)).toBeLessThan(60);
      expect(verifyWebhookSignature(created.secret, timestamp, delivery.body, String(delivery.headers[WEBHOOK_HEADERS.signature]))).toBe(true);
      expect(verifyWebhookSignature('not-the-secret', timestamp, delivery.body, String(delivery.headers[WEBHOOK_HEADERS.signature]))).toBe(false);
    }
    const events = receiver.received.map((delivery) => JSON.parse(delivery.body));
    expect(events.map((event) => event.event).sort()).toEqual(['comment.created', 'user.followed']);
    expect(events.find((event) => event.event === 'comment.created').data).toMatchObject({
      articleAuthorId: expect.any(Number),
      commentId: expect.any(Number),
    });

    const history = await waitUntil(
      async () => {
        const body = (await ctx.api.call('get', `/api/webhooks/${created.id}/deliveries`, { token: owner.token }).expect(200)).body;
        return body.deliveries.every((d: { status: string }) => d.status === 'delivered') && body.deliveries.length === 2 && body;
      },
      { what: 'both deliveries recorded as delivered' },
    );
    expect(history.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200, lastError: null, deliveredAt: expect.any(String) });
    await ctx.api.call('get', `/api/webhooks/${created.id}/deliveries`, { token: visitor.token }).expect(403);
    await ctx.api.call('post', '/api/webhooks', { token: owner.token, body: { webhook: { url: 'ftp://x', events: ['user.followed'] } } }).expect(422);
    await ctx.api.call('post', '/api/webhooks', { token: owner.token, body: { webhook: { url: receiver.url, events: ['nope'] } } }).expect(422);
  });

  it('pages notifications and webhook deliveries by cursor: every item once, refusing foreign cursors and offsets beside them', async () => {
    const expectErrorShape = (body: unknown) => expect(body).toEqual({ errors: { body: [expect.any(String)] } });
    const receiver = await startReceiver(() => 200);
    receivers.push(receiver.server);
    const star = await ctx.api.register();
    const hook = (
      await ctx.api.call('post', '/api/webhooks', { token: star.token, body: { webhook: { url: receiver.url, events: ['user.followed'] } } }).expect(201)
    ).body.webhook;
    const fans = await Promise.all(Array.from({ length: 7 }, () => ctx.api.register()));
    for (const fan of fans) await ctx.api.follow(fan.token, star.username);
    await waitUntil(async () => (await notificationsOf(star)).notificationsCount === 7, { what: 'seven follow notifications', timeoutMs: 30_000 });
    const deliveriesPath = `/api/webhooks/${hook.id}/deliveries`;
    await waitUntil(async () => (await ctx.api.call('get', deliveriesPath, { token: star.token }).expect(200)).body.deliveries.length === 7, {
      what: 'seven deliveries',
    });

    const walk = (path: string, field: 'notifications' | 'deliveries') =>
      walkPages(async (cursor) => {
        const body = (await ctx.api.call('get', `${path}?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: star.token }).expect(200))
          .body;
        return { items: body[field].map((item: { id: number }) => item.id), nextCursor: body.nextCursor };
      });
    const all = async (path: string, field: 'notifications' | 'deliveries') =>
      (await ctx.api.call('get', `${path}?limit=100`, { token: star.token }).expect(200)).body[field].map((item: { id: number }) => item.id);
    for (const [path, field] of [
      ['/api/notifications', 'notifications'],
      [deliveriesPath, 'deliveries'],
    ] as const) {
      const pages = await walk(path, field);
      expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual(await all(path, field));
      // beside offset paging, which keeps working and also answers a cursor
      const byOffset = (await ctx.api.call('get', `${path}?limit=3&offset=3`, { token: star.token }).expect(200)).body;
      expect(byOffset[field].map((item: { id: number }) => item.id)).toEqual(pages[1]);
      expect(typeof byOffset.nextCursor).toBe('string');
      expectErrorShape(
        (await ctx.api.call('get', `${path}?limit=3&offset=3&cursor=${encodeURIComponent(byOffset.nextCursor)}`, { token: star.token }).expect(422)).body,
      );
    }
    // A cursor of the star's notifications is nobody else's, nor the deliveries'.
    const cursor = (await ctx.api.call('get', '/api/notifications?limit=1', { token: star.token }).expect(200)).body.nextCursor;
    expectErrorShape((await ctx.api.call('get', `/api/notifications?cursor=${encodeURIComponent(cursor)}`, { token: fans[0].token }).expect(422)).body);
    expectErrorShape((await ctx.api.call('get', `${deliveriesPath}?cursor=${encodeURIComponent(cursor)}`, { token: star.token }).expect(422)).body);
  });

  it('retries a failing receiver with backoff, then parks the delivery as dead, keeping the error', async () => {
    const receiver = await startReceiver(() => 500);
    receivers.push(receiver.server);
    const [owner, fan] = [await ctx.api.register(), await ctx.api.register()];
    const hook = (
      await ctx.api.call('post', '/api/webhooks', { token: owner.token, body: { webhook: { url: receiver.url, events: ['user.followed'] } } }).expect(201)
    ).body.webhook;
    await ctx.api.follow(fan.token, owner.username);

    const dead = await waitUntil(
      async () => {
        const [delivery] = (await ctx.api.call('get', `/api/webhooks/${hook.id}/deliveries`, { token: owner.token }).expect(200)).body.deliveries;
        return delivery?.status === 'dead' && delivery;
      },
      { what: 'the delivery to be dead', timeoutMs: 20_000 },
    );
    expect(dead).toMatchObject({ attempts: 3, lastStatusCode: 500, lastError: 'HTTP 500', deliveredAt: null });
    expect(receiver.received).toHaveLength(3); // WEBHOOK_MAX_ATTEMPTS=3 in the test run

    const deliveries = queue(QUEUES.webhookDelivery);
    try {
      const job = await deliveries.getJob(`delivery-${dead.id}`);
      expect(await job?.getState()).toBe('failed');
      expect(job?.failedReason).toBe('HTTP 500');
      expect(job?.attemptsMade).toBe(3);
    } finally {
      await deliveries.close();
    }
  });

  it('gives a job that runs twice the effect of running once', async () => {
    const receiver = await startReceiver(() => 200);
    receivers.push(receiver.server);
    const [owner, fan] = [await ctx.api.register(), await ctx.api.register()];
    await ctx.api.call('post', '/api/webhooks', { token: owner.token, body: { webhook: { url: receiver.url, events: ['user.followed'] } } }).expect(201);
    await ctx.api.follow(fan.token, owner.username);
    await waitUntil(async () => (await notificationsOf(owner)).notificationsCount === 1 && receiver.received.length === 1, { what: 'the first run' });

    // Run the same event again, as a retry after a crash or a stalled lock would.
    const [{ id }] = await ctx.db.query<{ id: string }>(
      `SELECT o.id::text AS id FROM outbox_events o WHERE o.type = 'user.followed' AND (o.payload->>'followeeId')::int = (SELECT id FROM users WHERE username = $1)`,
      [owner.username],
    );
    const events = queue(QUEUES.events);
    try {
      const event = await eventInQueue(events, id);
      const again = await events.add('events', { events: [event] }, { jobId: `replay-${id}` });
      await waitUntil(async () => (await again.getState()) === 'completed', { what: 'the replayed job' });
    } finally {
      await events.close();
    }
    // Whatever the replay started (a fan-out, a delivery) has run before anything is counted.
    await queueIdle(QUEUES.notificationFanout);
    await queueIdle(QUEUES.webhookDelivery);
    expect((await notificationsOf(owner)).notificationsCount).toBe(1);
    expect(receiver.received).toHaveLength(1);
  });

  it("loses no event while the worker's Redis is down: the outbox keeps them and relays them when it is back", async () => {
    const star = await ctx.api.register();
    const fans = await Promise.all(Array.from({ length: 4 }, () => ctx.api.register()));
    await redis.crash();
    try {
      for (const fan of fans) await ctx.api.follow(fan.token, star.username); // the API does not need the queue to accept writes
      await sleep(500);
      const [{ pending }] = await ctx.db.query(
        `SELECT count(*)::int AS pending FROM outbox_events WHERE relayed_at IS NULL AND type = 'user.followed' AND (payload->>'followeeId')::int = (SELECT id FROM users WHERE username = $1)`,
        [star.username],
      );
      expect(pending).toBe(4);
    } finally {
      await redis.resume();
    }
    await waitUntil(async () => (await notificationsOf(star)).notificationsCount === 4, { what: 'all four follow notifications', timeoutMs: 30_000 });
  });

  it('completes a batch whose one event fails, and retries that event in a job of its own', async () => {
    const [star, fan] = [await ctx.api.register(), await ctx.api.register()];
    const [{ star_id: starId, fan_id: fanId }] = await ctx.db.query(
      `SELECT (SELECT id FROM users WHERE username = $1) AS star_id, (SELECT id FROM users WHERE username = $2) AS fan_id`,
      [star.username, fan.username],
    );
    const first = String(Date.now() * 1000);
    const bad = { eventId: first, type: 'user.followed', payload: { followerId: 'not a number', followeeId: starId } };
    const good = { eventId: String(Number(first) + 1), type: 'user.followed', payload: { followerId: fanId, followeeId: starId } };
    const events = queue(QUEUES.events);
    try {
      await events.add('events', { events: [bad, good] }, { jobId: unique('mixed-') });
      await waitUntil(async () => (await notificationsOf(star)).notificationsCount === 1, { what: "the good event's notification" });
      const alone = await waitUntil(() => events.getJob(`event-${bad.eventId}`), { what: "the failed event's own job" });
      expect(alone.data.events).toEqual([bad]);
      await waitUntil(async () => (await events.getJob(alone.id!))!.attemptsMade >= 1, { what: 'a failed attempt of the lone event' });
    } finally {
      await events.close();
    }
  });

  it('carries the request id of the request that caused a job into the job', async () => {
    const [star, fan] = [await ctx.api.register(), await ctx.api.register()];
    const requestId = unique('req-');
    await ctx.api.call('post', `/api/profiles/${star.username}/follow`, { token: fan.token }).set('X-Request-Id', requestId).expect(200);
    const [{ id }] = await ctx.db.query<{ id: string }>('SELECT id::text AS id FROM outbox_events WHERE request_id = $1', [requestId]);
    const events = queue(QUEUES.events);
    try {
      expect((await eventInQueue(events, id)).requestId).toBe(requestId);
    } finally {
      await events.close();
    }
  });

  it('prunes old records with a scheduled maintenance job', async () => {
    const [author, fan] = [await ctx.api.register(), await ctx.api.register()];
    await ctx.api.follow(fan.token, author.username);
    await waitUntil(async () => (await notificationsOf(author)).notificationsCount === 1, { what: 'a notification' });
    await ctx.db.query(
      `UPDATE notifications SET read_at = now(), created_at = now() - interval '400 days' WHERE recipient_id = (SELECT id FROM users WHERE username = $1)`,
      [author.username],
    );
    // Two logouts: one token aged past its expiry, one still live (its revocation must stay).
    const [expired, live] = [await ctx.api.login(fan), await ctx.api.login(fan)];
    for (const token of [expired, live]) await ctx.api.call('post', '/api/users/logout', { token }).expect(204);
    const fanId = (await ctx.db.query('SELECT id FROM users WHERE username = $1', [fan.username]))[0].id;
    await ctx.db.query(`UPDATE token_revocations SET expires_at = now() - interval '1 second' WHERE token_id = $1`, [tokenIdOf(expired)]);
    // Two answers kept for Idempotency-Key retries: one past its time, one not.
    const [oldKey, liveKey] = [unique('old-key'), unique('live-key')];
    for (const k of [oldKey, liveKey]) {
      await ctx.api.call('put', '/api/user', { token: fan.token, body: { user: { bio: k } }, headers: { 'Idempotency-Key': k } }).expect(200);
    }
    await ctx.db.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1`, [oldKey]);
    const maintenance = queue(QUEUES.maintenance);
    try {
      const schedulers = await maintenance.getJobSchedulers();
      expect(schedulers.map((scheduler) => scheduler.key)).toContain('prune-old-records');
      const job = await maintenance.add('prune', {});
      await waitUntil(async () => (await job.getState()) === 'completed', { what: 'the prune job' });
    } finally {
      await maintenance.close();
    }
    expect((await notificationsOf(author)).notificationsCount).toBe(0);
    const left = await ctx.db.query('SELECT token_id FROM token_revocations WHERE user_id = $1', [fanId]);
    expect(left).toEqual([{ token_id: tokenIdOf(live) }]);
    const keys = await ctx.db.query('SELECT key FROM idempotency_keys WHERE key = ANY($1)', [[oldKey, liveKey]]);
    expect(keys).toEqual([{ key: liveKey }]);
  });

  it('exposes job, queue and outbox metrics and a liveness endpoint on its own port', async () => {
    expect(await (await fetch(`http://127.0.0.1:${metricsPort}/health`)).json()).toEqual({ status: 'ok' });
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(text).toMatch(/conduit_job_duration_seconds_count\{queue="events",outcome="completed"\} [1-9]/);
    expect(text).toMatch(/conduit_jobs_processed_total\{queue="webhook-delivery",outcome="failed"\} [1-9]/);
    expect(text).toMatch(/conduit_queue_jobs\{queue="events",state="completed"\} [1-9]/);
    expect(text).toMatch(/conduit_outbox_lag_seconds \d/);
    expect(text).toMatch(/conduit_db_pool_connections\{state="total"\} [1-9]/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('stops gracefully on SIGTERM, finishing the job it is running (exit code 0)', async () => {
    // A receiver that answers slowly keeps a delivery job active while the worker is told to stop.
    let [arrived, answered] = [0, 0];
    const receiver = createServer((req, res) => {
      arrived++;
      req.resume();
      setTimeout(() => {
        answered++;
        res.writeHead(200).end();
      }, 600);
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receivers.push(receiver);
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const [owner, fan] = [await ctx.api.register(), await ctx.api.register()];
    const hook = (await ctx.api.call('post', '/api/webhooks', { token: owner.token, body: { webhook: { url, events: ['user.followed'] } } }).expect(201)).body
      .webhook;
    await ctx.api.follow(fan.token, owner.username);
    await waitUntil(() => arrived === 1, { what: 'the delivery to reach the receiver' });
    expect(answered).toBe(0); // the job is active: its POST awaits the answer

    expect(await worker.stop()).toBe(0);
    expect(worker.output()).toContain('SIGTERM received; stopping');
    expect(answered).toBe(1);
    const [delivery] = (await ctx.api.call('get', `/api/webhooks/${hook.id}/deliveries`, { token: owner.token }).expect(200)).body.deliveries;
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1 });
  });
});
