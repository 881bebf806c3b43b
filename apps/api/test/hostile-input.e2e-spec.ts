import request from 'supertest';
import { unique } from '@app/testing';
import { expectErrorShape, useApiTestApp } from './support/api-test-app';

/** Percent-encodes text; text that is not valid Unicode is sent as invalid UTF-8 bytes instead. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function encode(text: string): string {
  if (!LONE_SURROGATE.test(text)) return encodeURIComponent(text);
  return `a%ED%A0%80%FF${encodeURIComponent(text.replace(new RegExp(LONE_SURROGATE.source, 'g'), ''))}`;
}

describe('hostile input', () => {
  const ctx = useApiTestApp();

  it('answers malformed JSON with 400 in the error shape', async () => {
    const response = await request(ctx.app.getHttpServer()).post('/api/users').set('Content-Type', 'application/json').send('{"user": {"email": ').expect(400);
    expectErrorShape(response.body);
  });

  it('answers a body over the documented limit (1 MiB by default) with 413 in the error shape', async () => {
    const response = await request(ctx.app.getHttpServer())
      .post('/api/users')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ user: { email: 'x'.repeat(1_100_000) } }))
      .expect(413);
    expectErrorShape(response.body);
  });

  it('refuses NUL bytes in bodies, paths and queries with 422', async () => {
    const user = await ctx.api.register();
    const article = await ctx.api.createArticle(user.token);
    expectErrorShape(
      (await ctx.api.call('post', '/api/users', { body: { user: { username: 'a\u0000b', email: 'a@b.co', password: 'password1' } } }).expect(422)).body,
    );
    expectErrorShape(
      (await ctx.api.call('post', `/api/articles/${article.slug}/comments`, { token: user.token, body: { comment: { body: 'nul\u0000byte' } } }).expect(422))
        .body,
    );
    expectErrorShape((await ctx.api.call('get', '/api/profiles/a%00b').expect(422)).body);
    expectErrorShape((await ctx.api.call('get', '/api/articles?tag=a%00b').expect(422)).body);
  });

  it('answers unknown routes with 404 in the error shape', async () => {
    expectErrorShape((await ctx.api.call('get', '/api/does-not-exist').expect(404)).body);
  });

  it('never answers 5xx or leaks internals for a batch of generated hostile requests', async () => {
    const user = await ctx.api.register();
    const article = await ctx.api.createArticle(user.token);
    const strings = [
      '',
      ' ',
      'x'.repeat(70_000),
      "' OR '1'='1",
      '"; DROP TABLE users; --',
      '\u{1F409}'.repeat(300),
      '\uD800',
      '../../etc/passwd',
      '%00',
      '<script>alert(1)</script>',
      '${jndi:ldap://x}',
    ];
    const values: unknown[] = [...strings, null, true, 0, -1, 1.5, 2 ** 53, -(2 ** 63), [], [1, 2], {}, { $ne: null }];
    const paths = [
      ['post', '/api/users', (v: unknown) => ({ user: { username: v, email: v, password: v } })],
      ['post', '/api/users/login', (v: unknown) => ({ user: { email: v, password: v } })],
      ['put', '/api/user', (v: unknown) => ({ user: { bio: v, image: v, username: v } })],
      ['post', '/api/articles', (v: unknown) => ({ article: { title: v, description: v, body: v, tagList: v } })],
      ['put', `/api/articles/${article.slug}`, (v: unknown) => ({ article: { title: v, tagList: [v] } })],
      ['post', `/api/articles/${article.slug}/comments`, (v: unknown) => ({ comment: { body: v } })],
    ] as const;
    const responses = [];
    for (const value of values) {
      for (const [method, path, body] of paths) {
        responses.push(await ctx.api.call(method, path, { token: user.token, body: body(value) }));
      }
      // the value itself as the whole JSON document (top-level primitives, arrays, null)
      responses.push(
        await request(ctx.app.getHttpServer())
          .post('/api/articles')
          .set('Authorization', `Token ${user.token}`)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(value)),
      );
      const text = encode(typeof value === 'string' ? value.slice(0, 300) : JSON.stringify(value));
      for (const path of [
        `/api/profiles/${text}`,
        `/api/articles/${text}`,
        `/api/articles/${text}/comments`,
        `/api/articles/${text}/comments/${text}`,
        `/api/articles?tag=${text}&author=${text}&favorited=${text}&limit=${text}`,
        `/api/articles/feed?offset=${text}`,
      ]) {
        responses.push(await ctx.api.call(path.includes('/comments/') ? 'delete' : 'get', path, { token: user.token }));
      }
    }
    expect(responses.length).toBeGreaterThan(200);
    for (const response of responses) {
      expect(response.status).toBeLessThan(500);
      if (response.status >= 400) expectErrorShape(response.body);
    }
    // The tables the injection attempts named are all still there and the session still works.
    const [{ count }] = await ctx.db.query(`SELECT count(*)::int AS count FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('users', 'articles')`);
    expect(count).toBe(2);
    await ctx.api.call('get', '/api/user', { token: user.token }).expect(200);
  });

  it('keeps the account intact when a registration fails validation (nothing half-written)', async () => {
    const username = unique('half');
    await ctx.api.call('post', '/api/users', { body: { user: { username, email: 'bad', password: 'password1' } } }).expect(422);
    const [{ count }] = await ctx.db.query('SELECT count(*)::int AS count FROM users WHERE username = $1', [username]);
    expect(count).toBe(0);
  });
});
