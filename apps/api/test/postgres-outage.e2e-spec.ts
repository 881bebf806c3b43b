import { authorization } from '@app/api-client';
import { loadConfig } from '@app/config';
import { directDataSourceOptions, runMigrations } from '@app/database';
import { sleep, SteadyLoad, TestPostgresServer, unique, waitUntil } from '@app/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { expectErrorShape, useApiTestApp } from './support/api-test-app';

const CONNECT_TIMEOUT_MS = 1000;

/**
 * PostgreSQL crashes (SIGKILL of the postmaster) and comes back, on a server
 * of this suite's own. The API must fail fast with 503 in the error shape,
 * report not-ready, recover by itself, and never leave half a change behind.
 */
describe('PostgreSQL outage and restart', () => {
  jest.setTimeout(120_000);
  let postgres: TestPostgresServer;

  beforeAll(async () => {
    postgres = await TestPostgresServer.start();
    const admin = new Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query('CREATE DATABASE conduit');
    await admin.end();
    const url = postgres.databaseUrl('conduit');
    const db = new DataSource(directDataSourceOptions(loadConfig({ ...process.env, DATABASE_URL: url, DATABASE_DIRECT_URL: url })));
    await db.initialize();
    await runMigrations(db);
    await db.destroy();
  }, 90_000);
  afterAll(async () => postgres?.stop());

  const ctx = useApiTestApp(() => ({
    DATABASE_URL: postgres.databaseUrl('conduit'),
    DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    // Its own cache namespace: slugs in this database must not meet cached entries of the run's.
    REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}pg-outage:`,
  }));

  it('answers 503 in the error shape within a bounded time, is not ready, and recovers when PostgreSQL returns', async () => {
    const author = await ctx.api.register();
    const article = await ctx.api.createArticle(author.token);
    await postgres.crash();
    try {
      const requests = [
        () => ctx.api.call('get', `/api/articles?author=${author.username}`),
        () => ctx.api.call('get', '/api/user', { token: author.token }),
        () => ctx.api.call('post', '/api/users/login', { body: { user: { email: author.email, password: author.password } } }),
        () => ctx.api.call('post', '/api/articles', { token: author.token, body: { article: { title: unique('Down '), description: 'd', body: 'b' } } }),
        () => ctx.api.call('put', '/api/user', { token: author.token, body: { user: { bio: 'during the outage' } } }),
        () => ctx.api.call('post', `/api/articles/${article.slug}/favorite`, { token: author.token }),
        () => ctx.api.call('get', `/api/articles/${article.slug}/comments`),
      ];
      // Twenty at once, each kind several times: none may hang, none may be anything but a 503.
      const started = Date.now();
      const responses = await Promise.all(Array.from({ length: 21 }, (_, i) => requests[i % requests.length]()));
      const elapsed = Date.now() - started;
      expect(responses.map((response) => response.status)).toEqual(responses.map(() => 503));
      for (const response of responses) expectErrorShape(response.body);
      // Worth retrying, and the answer says when: a failover or a restart is over in seconds.
      expect(responses.map((response) => response.headers['retry-after'])).toEqual(responses.map(() => '1'));
      expect(responses[0].body.errors.body[0]).toMatch(/database is temporarily unavailable/);
      expect(elapsed).toBeLessThan(CONNECT_TIMEOUT_MS * 3 + 2000);

      const ready = await ctx.api.call('get', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.errors.body[0]).toMatch(/^not ready: database/);
      await ctx.api.call('get', '/health/live').expect(200);
    } finally {
      await postgres.resume();
    }
    await waitUntil(async () => (await ctx.api.call('get', '/health/ready')).status === 200, {
      what: 'readiness after PostgreSQL returned',
      timeoutMs: 30_000,
    });
    const after = await ctx.api.createArticle(author.token, { title: unique('After ') });
    await ctx.api.call('get', `/api/articles/${after.slug}`).expect(200);
    expect((await ctx.api.call('get', `/api/articles?author=${author.username}`).expect(200)).body.articlesCount).toBe(2);
  });

  it('leaves no write half-applied when PostgreSQL dies under write load, and keeps every acknowledged one', async () => {
    const api = ctx.api.typed;
    const [author, fan] = [await ctx.api.register(), await ctx.api.register()];
    const target = await ctx.api.createArticle(author.token);
    const acknowledged: string[] = [];
    const load = new SteadyLoad(4, async (loop, i) => {
      if (loop < 2) {
        const { data, response } = await api.POST('/api/articles', {
          body: { article: { title: unique(`Crash ${loop}-${i} `), description: 'd', body: 'b', tagList: [unique('t1'), unique('t2'), 'crash'] } },
          headers: authorization(author.token),
        });
        if (data) acknowledged.push(data.article.slug);
        return { what: 'create article', status: response.status };
      }
      const path = { params: { path: { slug: target.slug } }, headers: authorization(fan.token) };
      const { response } = i % 2 ? await api.DELETE('/api/articles/{slug}/favorite', path) : await api.POST('/api/articles/{slug}/favorite', path);
      return { what: 'favorite', status: response.status };
    });
    await sleep(1500);
    await postgres.crash();
    await sleep(2000);
    await postgres.resume();
    await waitUntil(async () => (await ctx.api.call('get', '/health/ready')).status === 200, {
      what: 'readiness after PostgreSQL returned',
      timeoutMs: 30_000,
    });
    await sleep(1500);
    const outcomes = await load.stop();

    // During the outage writes failed cleanly, only ever with 503; before and after they succeeded.
    expect(outcomes.failed.length).toBeGreaterThan(0);
    expect([...new Set(outcomes.failed.map((failure) => failure.status))]).toEqual([503]);
    expect(acknowledged.length).toBeGreaterThan(5);

    // Every acknowledged article exists with its three tags and its outbox event; no article exists without them.
    const articles: { slug: string; tags: number; events: number }[] = await ctx.db.query(
      `SELECT a.slug,
              (SELECT count(*)::int FROM article_tags t WHERE t.article_id = a.id) AS tags,
              (SELECT count(*)::int FROM outbox_events e WHERE e.type = 'article.published' AND (e.payload->>'articleId')::int = a.id) AS events
         FROM articles a JOIN users u ON u.id = a.author_id WHERE u.username = $1 AND a.id <> (SELECT id FROM articles WHERE slug = $2)`,
      [author.username, target.slug],
    );
    expect(articles.filter((article) => article.tags !== 3 || article.events !== 1)).toEqual([]);
    const stored = new Set(articles.map((article) => article.slug));
    expect(acknowledged.filter((slug) => !stored.has(slug))).toEqual([]);
    // The favorites counter agrees with the favorites rows.
    const [counter] = await ctx.db.query(
      'SELECT a.favorites_count AS counted, (SELECT count(*)::int FROM favorites f WHERE f.article_id = a.id) AS actual FROM articles a WHERE a.slug = $1',
      [target.slug],
    );
    expect(counter.counted).toBe(counter.actual);
  });
});
