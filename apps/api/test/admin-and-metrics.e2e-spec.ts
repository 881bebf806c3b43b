import { unique } from '@app/testing';
import { expectErrorShape, useApiTestApp } from './support/api-test-app';

describe('queue dashboard and metrics', () => {
  const admin = { username: 'ops', password: 'queue-board-secret' };
  const ADMIN_LIMIT = 12;
  const ctx = useApiTestApp(() => ({ ADMIN_USERNAME: admin.username, ADMIN_PASSWORD: admin.password, ADMIN_RATE_LIMIT: String(ADMIN_LIMIT) }));
  const failures = async () => Number(/conduit_admin_auth_failures_total (\d+)/.exec((await ctx.api.call('get', '/metrics').expect(200)).text)?.[1]);
  const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

  it('serves the queue dashboard only with the admin credentials from config', async () => {
    const failedBefore = await failures();
    const anonymous = await ctx.api.call('get', '/admin/queues').expect(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic /);
    expectErrorShape(anonymous.body);
    await ctx.api.call('get', '/admin/queues').set('Authorization', basic(admin.username, 'wrong')).expect(401);
    await ctx.api.call('get', '/admin/queues/api/queues').set('Authorization', basic('other', admin.password)).expect(401);
    const user = await ctx.api.register();
    await ctx.api.call('get', '/admin/queues', { token: user.token }).expect(401); // a user token is not an admin credential

    const page = await ctx.api.call('get', '/admin/queues').set('Authorization', basic(admin.username, admin.password)).expect(200);
    expect(page.text).toContain('Conduit queues');
    const queues = await ctx.api.call('get', '/admin/queues/api/queues').set('Authorization', basic(admin.username, admin.password)).expect(200);
    expect(queues.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual([
      'events',
      'maintenance',
      'notification-fanout',
      'webhook-delivery',
    ]);
    // every refusal is counted (and logged with the client address)
    expect((await failures()) - failedBefore).toBe(4);
  });

  it('refuses a password that only shares a prefix, a user name with a colon trick, and a pair swapped', async () => {
    for (const [username, password] of [
      [admin.username, admin.password.slice(0, -1)],
      [admin.username, `${admin.password}x`],
      [`${admin.username}:${admin.password}`, ''],
      [admin.password, admin.username],
    ]) {
      await ctx.api.call('get', '/admin/queues/api/queues').set('Authorization', basic(username, password)).set('X-Forwarded-For', '198.51.100.1').expect(401);
    }
  });

  it('limits requests to the dashboard per client, with or without the right credentials', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= ADMIN_LIMIT; i++) {
      statuses.push(
        (
          await ctx.api
            .call('get', '/admin/queues/api/queues')
            .set('Authorization', basic(admin.username, `guess-${i}`))
            .set('X-Forwarded-For', '198.51.100.2')
        ).status,
      );
    }
    expect(statuses).toEqual([...Array(ADMIN_LIMIT).fill(401), 429]);
    const limited = await ctx.api
      .call('get', '/admin/queues')
      .set('Authorization', basic(admin.username, admin.password))
      .set('X-Forwarded-For', '198.51.100.2')
      .expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expectErrorShape(limited.body);
    // another client is not affected
    await ctx.api.call('get', '/admin/queues').set('Authorization', basic(admin.username, admin.password)).set('X-Forwarded-For', '198.51.100.3').expect(200);
  });

  it('exposes every metric family with values after traffic', async () => {
    const author = await ctx.api.register();
    const article = await ctx.api.createArticle(author.token, { title: unique('Measured ') });
    for (let i = 0; i < 3; i++) await ctx.api.call('get', `/api/articles/${article.slug}`).expect(200);
    await ctx.api.call('get', '/api/articles/no-such-article-here').expect(404);
    await ctx.api.call('get', '/api/tags').expect(200);
    await ctx.api.call('get', '/api/tags').expect(200);

    const response = await ctx.api.call('get', '/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.text;
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN);

    // HTTP: by method, route template (never the raw URL) and status
    expect(value(/conduit_http_requests_total\{method="GET",route="\/api\/articles\/:slug",status="200"\} (\d+)/)).toBeGreaterThanOrEqual(3);
    expect(value(/conduit_http_requests_total\{method="GET",route="\/api\/articles\/:slug",status="404"\} (\d+)/)).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(article.slug);
    expect(value(/conduit_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/api\/tags",status="200"\} (\d+)/)).toBeGreaterThanOrEqual(2);
    // cache hits and misses by cache name
    expect(value(/conduit_cache_requests_total\{cache="article",result="hit",tier="(?:local|redis)"\} (\d+)/)).toBeGreaterThanOrEqual(1);
    expect(value(/conduit_cache_requests_total\{cache="article",result="miss",tier="none"\} (\d+)/)).toBeGreaterThanOrEqual(1);
    expect(value(/conduit_cache_requests_total\{cache="tags",result="hit",tier="local"\} (\d+)/)).toBeGreaterThanOrEqual(1);
    // queues, outbox and the database pool
    expect(text).toMatch(/conduit_queue_jobs\{queue="events",state="waiting"\} \d+/);
    expect(text).toMatch(/conduit_outbox_pending_events \d+/);
    expect(text).toMatch(/conduit_outbox_lag_seconds [\d.]+/);
    expect(value(/conduit_db_pool_connections\{state="total"\} (\d+)/)).toBeGreaterThanOrEqual(1);
    // default process metrics
    expect(value(/process_resident_memory_bytes (\d+)/)).toBeGreaterThan(0);
    expect(text).toMatch(/nodejs_eventloop_lag_p99_seconds [\d.e-]+/);
  });
});
