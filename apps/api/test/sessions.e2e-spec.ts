import { TestRedis, tokenIdOf, waitUntil } from '@app/testing';
import { ApiTestContext, expectErrorShape, startApiTestApp, useApiTestApp } from './support/api-test-app';

const REVOKED = { errors: { body: ['token has been revoked: log in again'] } };

/**
 * Logout and revocation (docs/security.md, "Tokens"): on the instance that revokes, on every other
 * instance at once through Redis, through PostgreSQL alone when Redis is down, and on an instance
 * started afterwards.
 *
 * Instances A and B share the run's Redis and read PostgreSQL only once a minute, so what reaches
 * them in a test came through the Redis announcement. C's Redis is down for the whole suite (an
 * outage from the start) and C reads PostgreSQL every 250 ms.
 */
describe('logout and token revocation', () => {
  jest.setTimeout(60_000);
  const announcedOnly = { TOKEN_REVOCATION_POLL_MS: '60000' };
  const a = useApiTestApp(() => announcedOnly);
  const b = useApiTestApp(() => announcedOnly);
  let deadRedis: TestRedis;
  beforeAll(async () => {
    deadRedis = await TestRedis.notStarted();
  });
  const c = useApiTestApp(() => ({ ...deadRedis.env(), TOKEN_REVOCATION_POLL_MS: '250' }));

  const me = (ctx: ApiTestContext, token: string) => ctx.api.call('get', '/api/user', { token });
  const logout = (ctx: ApiTestContext, token: string) => ctx.api.call('post', '/api/users/logout', { token });
  const changePassword = (ctx: ApiTestContext, token: string, password: string) => ctx.api.call('put', '/api/user', { token, body: { user: { password } } });
  /** Whether the instance refuses the token as revoked (anything else but a 200 fails the test). */
  async function refuses(ctx: ApiTestContext, token: string): Promise<boolean> {
    const response = await me(ctx, token);
    if (response.status === 200) return false;
    expect(response.status).toBe(401);
    expect(response.body).toEqual(REVOKED);
    return true;
  }

  describe('POST /api/users/logout', () => {
    it('answers 204 and the token is refused from then on, on required and optional routes; the other sessions stay', async () => {
      const user = await a.api.register();
      const other = await a.api.login(user);
      await me(a, user.token).expect(200);
      const response = await logout(a, user.token).expect(204);
      expect(response.text).toBe('');

      expect((await me(a, user.token).expect(401)).body).toEqual(REVOKED);
      expect((await a.api.call('get', '/api/articles', { token: user.token }).expect(401)).body).toEqual(REVOKED);
      expectErrorShape((await logout(a, user.token).expect(401)).body);
      await me(a, other).expect(200);
      // and the user can log in again
      await me(a, await a.api.login(user)).expect(200);
    });

    it('needs a token', async () => {
      expectErrorShape((await a.api.call('post', '/api/users/logout').expect(401)).body);
    });

    it('stores one revocation when the same token logs out ten times at once, and nothing answers 5xx', async () => {
      const user = await a.api.register();
      const statuses = (await Promise.all(Array.from({ length: 10 }, (_, i) => logout(i % 2 ? a : b, user.token)))).map((r) => r.status);
      expect(statuses).toContain(204);
      expect(statuses.every((status) => status === 204 || status === 401)).toBe(true);
      const rows = await a.db.query('SELECT count(*)::int AS n FROM token_revocations WHERE token_id = $1', [tokenIdOf(user.token)]);
      expect(rows).toEqual([{ n: 1 }]);
      expect(await refuses(a, user.token)).toBe(true);
    });

    it('is refused by every other instance at once: B through the Redis announcement', async () => {
      const user = await a.api.register();
      await me(b, user.token).expect(200);
      await logout(a, user.token).expect(204);
      // B reads PostgreSQL once a minute: only the announcement can tell it within this wait.
      await waitUntil(() => refuses(b, user.token), { timeoutMs: 1000, intervalMs: 10, what: 'B to refuse the revoked token' });
    });
  });

  describe('a password change', () => {
    it('revokes every token issued before it and answers with a fresh one that works', async () => {
      const user = await a.api.register();
      const [second, third] = [await a.api.login(user), await a.api.login(user)];
      const changed = await changePassword(a, second, 'a-brand-new-password').expect(200);
      const fresh: string = changed.body.user.token;

      for (const token of [user.token, second, third]) expect(await refuses(a, token)).toBe(true);
      await waitUntil(() => refuses(b, third), { timeoutMs: 1000, intervalMs: 10, what: 'B to refuse the old tokens' });
      await me(a, fresh).expect(200);
      await me(b, fresh).expect(200);
      // Other changes (and logging in with the new password) start no new generation.
      const renamed = await a.api.call('put', '/api/user', { token: fresh, body: { user: { bio: 'still me' } } }).expect(200);
      await me(a, fresh).expect(200);
      await me(a, renamed.body.user.token).expect(200);
      await me(a, await a.api.login({ email: user.email, password: 'a-brand-new-password' })).expect(200);
      await me(a, fresh).expect(200);
    });

    it('refuses the old token in every request sent after the change answered, also while requests with it are in flight', async () => {
      const user = await a.api.register();
      const inFlight = Array.from({ length: 20 }, (_, i) => me(i % 2 ? a : b, user.token));
      await changePassword(a, user.token, 'another-new-password').expect(200);
      // Those sent before the answer may pass or fail; each one is a 200 or a 401, never a 5xx.
      for (const response of await Promise.all(inFlight)) expect([200, 401]).toContain(response.status);
      for (const response of await Promise.all(Array.from({ length: 20 }, () => me(a, user.token)))) expect(response.status).toBe(401);
    });

    it('leaves exactly the session of the change that committed last when two changes race', async () => {
      const user = await a.api.register();
      const other = await a.api.login(user);
      const [first, second] = await Promise.all([changePassword(a, user.token, 'racing-password-one'), changePassword(b, other, 'racing-password-two')]);
      const answered = [
        { response: first, password: 'racing-password-one' },
        { response: second, password: 'racing-password-two' },
      ].filter(({ response }) => response.status === 200);
      expect(answered.length).toBeGreaterThanOrEqual(1);
      // The password that logs in is the one whose fresh token survived, and only that token works
      // (A hears of a change made on B through the announcement, hence the short wait).
      const loginWith = async (password: string) => (await a.api.call('post', '/api/users/login', { body: { user: { email: user.email, password } } })).status;
      const working = async () => {
        const statuses = await Promise.all(answered.map(({ response }) => me(a, response.body.user.token)));
        return answered.filter((_, i) => statuses[i].status === 200).map(({ password }) => password);
      };
      await waitUntil(async () => (await working()).length === 1, { timeoutMs: 1000, intervalMs: 10, what: 'one surviving session' });
      const [survivor] = await working();
      expect(await loginWith(survivor)).toBe(200);
      for (const { password } of answered) if (password !== survivor) expect(await loginWith(password)).toBe(401);
    });
  });

  describe('with Redis down', () => {
    it('still logs out (204), and the other instances refuse the token within TOKEN_REVOCATION_POLL_MS', async () => {
      const user = await a.api.register();
      const other = await a.api.login(user);
      await me(c, user.token).expect(200);
      // Revoked on A (announced on a Redis C does not hear): C reads it from PostgreSQL.
      const revokedAt = Date.now();
      await logout(a, user.token).expect(204);
      await waitUntil(() => refuses(c, user.token), { timeoutMs: 3000, intervalMs: 20, what: 'C to read the revocation from PostgreSQL' });
      expect(Date.now() - revokedAt).toBeLessThan(3000);
      // Revoked on C, whose announcement fails: stored all the same, refused by C at once.
      await logout(c, other).expect(204);
      expect(await refuses(c, other)).toBe(true);
      expect(await a.db.query('SELECT count(*)::int AS n FROM token_revocations WHERE token_id = $1', [tokenIdOf(other)])).toEqual([{ n: 1 }]);
    });

    it('still changes a password and revokes the older tokens on C at once', async () => {
      const user = await c.api.register();
      const changed = await changePassword(c, user.token, 'changed-without-redis').expect(200);
      expect(await refuses(c, user.token)).toBe(true);
      await me(c, changed.body.user.token).expect(200);
    });
  });

  it('is known to an instance started after it, before that instance serves', async () => {
    const user = await a.api.register();
    const survivor = await a.api.login(user);
    await logout(a, user.token).expect(204);
    const changer = await a.api.register();
    const fresh = (await changePassword(a, changer.token, 'changed-before-start').expect(200)).body.user.token;

    const late = await startApiTestApp(announcedOnly);
    try {
      expect(await refuses(late, user.token)).toBe(true);
      expect(await refuses(late, changer.token)).toBe(true);
      await me(late, survivor).expect(200);
      await me(late, fresh).expect(200);
    } finally {
      await late.app.close();
    }
  });
});
