import { randomUUID } from 'node:crypto';
import { sleep, unique } from '@app/testing';
import request from 'supertest';
import { expectErrorShape, startApiTestApp, useApiTestApp, waitForCacheFills } from './support/api-test-app';

/**
 * Idempotency-Key on POST, PUT and DELETE (docs/api.md#idempotency-key), against the real
 * PostgreSQL and Redis: replays, conflicts, concurrency, expiry, and that a change and the record
 * of its answer commit together.
 */
describe('Idempotency-Key', () => {
  jest.setTimeout(30_000);
  const ctx = useApiTestApp();
  const key = () => `"${randomUUID()}"`;
  const article = (title: string) => ({ article: { title, description: 'd', body: 'b', tagList: [] } });
  const post = (path: string, token: string | undefined, body: unknown, idempotencyKey: string) =>
    ctx.api.call('post', path, { token, body, headers: { 'Idempotency-Key': idempotencyKey } });
  const articlesTitled = async (title: string) => (await ctx.db.query('SELECT id FROM articles WHERE title = $1', [title])).length;

  it('does the work once: the retry gets the first answer again, marked as a replay', async () => {
    const user = await ctx.api.register();
    const title = unique('Once ');
    const k = key();
    const first = await post('/api/articles', user.token, article(title), k).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const retry = await post('/api/articles', user.token, article(title), k).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await articlesTitled(title)).toBe(1);
    const events = await ctx.db.query(
      `SELECT count(*)::int AS n FROM outbox_events WHERE type = 'article.published' AND (payload->>'articleId')::int = (SELECT id FROM articles WHERE title = $1)`,
      [title],
    );
    expect(events).toEqual([{ n: 1 }]);
    // a bare key (as many clients send a UUID) works the same
    const bare = randomUUID();
    await post('/api/articles', user.token, article(`${title} bare`), bare).expect(201);
    expect((await post('/api/articles', user.token, article(`${title} bare`), bare).expect(201)).headers['idempotent-replayed']).toBe('true');
  });

  it('refuses the same key for another request with 422, and keeps keys apart per user', async () => {
    const [alice, bob] = [await ctx.api.register(), await ctx.api.register()];
    const k = key();
    const { slug } = (await post('/api/articles', alice.token, article(unique('Alice ')), k).expect(201)).body.article;
    expectErrorShape((await post('/api/articles', alice.token, article(unique('Other ')), k).expect(422)).body);
    expectErrorShape((await post(`/api/articles/${slug}/favorite`, alice.token, undefined, k).expect(422)).body);
    const bobs = await post('/api/articles', bob.token, article(unique('Bob ')), k).expect(201);
    expect(bobs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('lets one of eight concurrent requests with one key do the work; the others get 409 with Retry-After, or its answer', async () => {
    const user = await ctx.api.register();
    const title = unique('Concurrent ');
    const k = key();
    const responses = await Promise.all(Array.from({ length: 8 }, () => post('/api/articles', user.token, article(title), k)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    expect(responses.filter((response) => response.status === 201 && response.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    for (const response of responses.filter((r) => r.status === 409)) {
      expect(response.headers['retry-after']).toBe('1');
      expectErrorShape(response.body);
    }
    expect(await articlesTitled(title)).toBe(1);
  });

  it('stores nothing for a refused request: its retry is checked afresh, and a corrected one runs', async () => {
    const user = await ctx.api.register();
    const k = key();
    const invalid = { article: { title: '', description: 'd', body: 'b' } };
    expectErrorShape((await post('/api/articles', user.token, invalid, k).expect(422)).body);
    expectErrorShape((await post('/api/articles', user.token, invalid, k).expect(422)).body);
    await post('/api/articles', user.token, article(unique('Corrected ')), k).expect(201);
  });

  it('replays PUT and DELETE: a repeated delete answers 204 again instead of 404', async () => {
    const user = await ctx.api.register();
    const { slug } = await ctx.api.createArticle(user.token);
    const k = key();
    const first = await ctx.api.call('delete', `/api/articles/${slug}`, { token: user.token, headers: { 'Idempotency-Key': k } }).expect(204);
    const retry = await ctx.api.call('delete', `/api/articles/${slug}`, { token: user.token, headers: { 'Idempotency-Key': k } }).expect(204);
    expect([first.text, retry.text, retry.headers['idempotent-replayed']]).toEqual(['', '', 'true']);
    await ctx.api.call('delete', `/api/articles/${slug}`, { token: user.token }).expect(404);

    const bio = unique('bio ');
    const put = (k2: string) => ctx.api.call('put', '/api/user', { token: user.token, body: { user: { bio } }, headers: { 'Idempotency-Key': k2 } });
    const k2 = key();
    const updated = await put(k2).expect(200);
    expect((await put(k2).expect(200)).body).toEqual(updated.body);
  });

  it('replays a registration (not "username taken"), and keeps the answer encrypted: no token in the database', async () => {
    const username = unique('idem');
    const body = { user: { username, email: `${username}@example.com`, password: 'correct-horse-battery' } };
    const k = key();
    const first = await post('/api/users', undefined, body, k).expect(201);
    const retry = await post('/api/users', undefined, body, k).expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const [row] = await ctx.db.query(`SELECT response FROM idempotency_keys WHERE scope = 'anonymous' AND key = $1`, [k.slice(1, -1)]);
    expect(row.response.toString('latin1')).not.toContain(first.body.user.token);
    expect(row.response.toString('latin1')).not.toContain(username);
  });

  it('invalidates the cache once the change has committed, as without a key', async () => {
    const user = await ctx.api.register();
    const list = () => ctx.api.call('get', `/api/articles?author=${user.username}`).expect(200);
    expect((await list()).body.articlesCount).toBe(0);
    await waitForCacheFills(ctx);
    await post('/api/articles', user.token, article(unique('Cached ')), key()).expect(201);
    expect((await list()).body.articlesCount).toBe(1);
  });

  it('is open to browser clients: CORS allows the header and exposes the replay marker', async () => {
    const preflight = await request(ctx.app.getHttpServer())
      .options('/api/articles')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type, idempotency-key');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toContain('Idempotency-Key');
    const user = await ctx.api.register();
    const answer = await post('/api/articles', user.token, article(unique('Cors ')), key())
      .set('Origin', 'https://app.example.com')
      .expect(201);
    expect(answer.headers['access-control-expose-headers']).toContain('Idempotent-Replayed');
  });

  it.each([
    ['empty', ''],
    ['an unterminated string', '"abc'],
    ['two keys', '"a", "b"'],
    ['longer than 255 characters', `"${'k'.repeat(256)}"`],
    ['an escape an sf-string does not have', '"a\\qb"'],
  ])('refuses a key that is %s with 400 in the error shape', async (_name, value) => {
    const user = await ctx.api.register();
    const response = await ctx.api.call('post', '/api/articles', {
      token: user.token,
      body: article(unique('Bad key ')),
      headers: { 'Idempotency-Key': value },
    });
    expect(response.status).toBe(400);
    expectErrorShape(response.body);
  });

  it('does the work again once the key has expired', async () => {
    const short = await startApiTestApp({ IDEMPOTENCY_KEY_TTL_SECONDS: '1' });
    try {
      const user = await short.api.register();
      const { slug } = await short.api.createArticle(user.token);
      const k = key();
      const comment = () =>
        short.api.call('post', `/api/articles/${slug}/comments`, {
          token: user.token,
          body: { comment: { body: 'again' } },
          headers: { 'Idempotency-Key': k },
        });
      const first = await comment().expect(200);
      expect((await comment().expect(200)).body).toEqual(first.body);
      await sleep(1200);
      const later = await comment().expect(200);
      expect(later.headers['idempotent-replayed']).toBeUndefined();
      expect(later.body.comment.id).not.toBe(first.body.comment.id);
    } finally {
      await short.app.close();
    }
  });

  it('commits the change and its record together: when the record cannot be written, the change is not there either', async () => {
    const user = await ctx.api.register();
    const failing = `fail-${randomUUID()}`;
    // A fault in the real database: storing this one key's record fails.
    await ctx.db.query(`
      CREATE OR REPLACE FUNCTION test_refuse_idempotency_record() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.key = '${failing}' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$`);
    await ctx.db.query(
      `CREATE TRIGGER test_refuse_idempotency_record BEFORE INSERT ON idempotency_keys FOR EACH ROW EXECUTE FUNCTION test_refuse_idempotency_record()`,
    );
    try {
      const title = unique('Never ');
      const response = await post('/api/articles', user.token, article(title), `"${failing}"`);
      expect(response.status).toBeGreaterThanOrEqual(500);
      expectErrorShape(response.body);
      expect(await articlesTitled(title)).toBe(0);
      const events = await ctx.db.query(
        `SELECT count(*)::int AS n FROM outbox_events WHERE type = 'article.published' AND created_at > now() - interval '1 minute' AND (payload->>'authorId')::int = (SELECT id FROM users WHERE username = $1)`,
        [user.username],
      );
      expect(events).toEqual([{ n: 0 }]);
      // the same request without the fault: done, once
      await post('/api/articles', user.token, article(title), key()).expect(201);
      expect(await articlesTitled(title)).toBe(1);
    } finally {
      await ctx.db.query('DROP TRIGGER test_refuse_idempotency_record ON idempotency_keys');
      await ctx.db.query('DROP FUNCTION test_refuse_idempotency_record()');
    }
  });
});
