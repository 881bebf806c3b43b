import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REDIS_CLIENT, RedisClient } from '@app/redis';
import { unique, waitUntil } from '@app/testing';
import request from 'supertest';
import { LoginLockout } from '../src/modules/users/login-lockout';
import { expectErrorShape, useApiTestApp } from './support/api-test-app';

const ALLOWED_ORIGIN = 'https://app.example.com';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Security properties of the running API, with a configuration of its own:
 * CORS limited to one origin and a quick login lockout (3 failures per
 * client, 10 per account, 1 s doubling up to 4 s) so its behaviour can be
 * watched in seconds. Clients are told apart by X-Forwarded-For, which the
 * test run's TRUSTED_PROXIES (loopback) believes.
 */
describe('security', () => {
  jest.setTimeout(60_000);
  const ctx = useApiTestApp(() => ({
    CORS_ORIGINS: ALLOWED_ORIGIN,
    LOGIN_LOCKOUT_THRESHOLD: '3',
    LOGIN_LOCKOUT_ACCOUNT_THRESHOLD: '10',
    LOGIN_LOCKOUT_BASE_SECONDS: '1',
    LOGIN_LOCKOUT_MAX_SECONDS: '4',
    LOGIN_FAILURE_WINDOW_SECONDS: '60',
    // The webhook target guard on, as in production (the test run opts out for its local receivers).
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false',
    WEBHOOK_ALLOWED_PORTS: '80,443',
  }));
  let nextAddress = 1;
  /** A client address of its own (TEST-NET-3), as the gateway would forward it. */
  const newClient = () => `203.0.113.${nextAddress++}`;
  const login = (email: string, password: string, client = '198.51.100.1') =>
    ctx.api.call('post', '/api/users/login', { body: { user: { email, password } }, headers: { 'X-Forwarded-For': client } });
  const redis = () => ctx.app.get<RedisClient>(REDIS_CLIENT);
  const lockout = () => ctx.app.get(LoginLockout);
  /** Waits until this client's wait for this account is over (read from Redis, so no attempt is spent on it). */
  const waitOut = (email: string, client: string) =>
    waitUntil(async () => (await redis().pttl(lockout().keys(email, client)[0])) <= 0, { what: 'the wait to pass', timeoutMs: 10_000 });

  describe('login lockout per account and client (besides the per-address rate limits)', () => {
    it('makes a failing client wait, doubling per further failure, and a success clears it', async () => {
      const user = await ctx.api.register();
      const client = newClient();
      for (let i = 0; i < 3; i++) expectErrorShape((await login(user.email, 'wrong-password', client).expect(401)).body);
      const locked = await login(user.email, user.password, client).expect(429);
      expectErrorShape(locked.body);
      expect(locked.body.errors.body[0]).toMatch(/too many failed logins for this account from this client; try again in 1 s/);
      expect(locked.headers['retry-after']).toBe('1');

      await waitOut(user.email, client);
      // The wait is over, but the count remains: the next failure makes it twice as long.
      await login(user.email.toUpperCase(), 'wrong-again', client).expect(401);
      const longer = await login(user.email, user.password, client).expect(429);
      expect(Number(longer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(longer.headers['retry-after'])).toBeLessThanOrEqual(2);
      expect(await redis().pttl(lockout().keys(user.email, client)[0])).toBeGreaterThan(1000);
      await waitOut(user.email, client);
      // A success clears the count: the client is back to three attempts.
      await login(user.email, user.password, client).expect(200);
      for (let i = 0; i < 2; i++) await login(user.email, 'wrong-password', client).expect(401);
      await login(user.email, user.password, client).expect(200);
    });

    it('cannot be turned on the victim: 50 failures from one address, and the owner logs in from another at once', async () => {
      const victim = await ctx.api.register();
      const attacker = newClient();
      const statuses = [];
      for (let i = 0; i < 50; i++) statuses.push((await login(victim.email, `guess-${i}`, attacker)).status);
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(new Set(statuses.slice(3))).toEqual(new Set([429]));
      await login(victim.email, victim.password, newClient()).expect(200);
      // the attacker's address still waits, even with the right password
      await login(victim.email, victim.password, attacker).expect(429);
    });

    it('lets at most the threshold of 50 parallel wrong guesses through to the password check', async () => {
      const user = await ctx.api.register();
      const attacker = newClient();
      const statuses = (await Promise.all(Array.from({ length: 50 }, (_, i) => login(user.email, `parallel-${i}`, attacker)))).map((r) => r.status);
      expect(statuses.filter((status) => status === 401)).toHaveLength(3);
      expect(statuses.filter((status) => status === 429)).toHaveLength(47);
    });

    it('slows a guesser spread over many addresses to one guess per address, and still lets the owner in', async () => {
      const user = await ctx.api.register();
      const addresses = Array.from({ length: 30 }, newClient);
      let verified = 0;
      let refused = 0;
      for (const address of addresses) {
        for (let i = 0; i < 3; i++) {
          const { status } = await login(user.email, `spread-${i}`, address);
          if (status === 401) verified++;
          else if (status === 429) refused++;
          else throw new Error(`unexpected status ${status}`);
        }
      }
      // Unguarded, 30 addresses x 3 attempts would all reach the check (90). Once the account has
      // 10 failures, each address gets one: at most the account threshold plus one per address.
      expect(verified).toBeLessThanOrEqual(10 + 30);
      expect(refused).toBeGreaterThanOrEqual(90 - 40);
      await login(user.email, user.password, newClient()).expect(200);
    });

    it('treats unknown emails exactly like known ones, so a lockout reveals no account', async () => {
      const email = `${unique('nobody')}@example.com`;
      const client = newClient();
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await login(email, 'whatever-password', client)).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
    });
  });

  it('takes as long to refuse an unknown email as a wrong password (no enumeration by timing)', async () => {
    const users = [];
    for (let i = 0; i < 15; i++) users.push(await ctx.api.register());
    const timings = { known: [] as number[], unknown: [] as number[] };
    for (const user of users) {
      // Interleaved, one attempt per account, so neither side meets the lockout or a warmer cache.
      for (const [kind, email] of [
        ['known', user.email],
        ['unknown', `${unique('ghost')}@example.com`],
      ] as const) {
        const started = process.hrtime.bigint();
        await login(email, 'not-the-password').expect(401);
        timings[kind].push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }
    // Both paths verify an argon2id hash (a dummy one for unknown emails). Without that the
    // unknown side would skip the hash and be several times faster.
    const ratio = median(timings.unknown) / median(timings.known);
    expect(ratio).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1.7);
  });

  it('hashes passwords with argon2id using the configured parameters', async () => {
    const user = await ctx.api.register();
    const [{ password_hash }] = await ctx.db.query('SELECT password_hash FROM users WHERE username = $1', [user.username]);
    const { ARGON2_MEMORY_KIB, ARGON2_TIME_COST, ARGON2_PARALLELISM = '1' } = process.env;
    const [, algorithm, parameters] = /^\$(\w+)\$v=19\$([^$]+)\$/.exec(password_hash) ?? [];
    expect(algorithm).toBe('argon2id');
    expect(parameters.split(',').sort()).toEqual([`m=${ARGON2_MEMORY_KIB}`, `p=${ARGON2_PARALLELISM}`, `t=${ARGON2_TIME_COST}`]);
    expect(password_hash).not.toContain(user.password);
  });

  it('allows cross-origin calls only from the configured origins', async () => {
    const preflight = (origin: string) =>
      request(ctx.app.getHttpServer())
        .options('/api/articles')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
    const allowed = await preflight(ALLOWED_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers['access-control-allow-headers']).toMatch(/Authorization/i);
    const foreign = await preflight('https://evil.example.net');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await request(ctx.app.getHttpServer()).get('/api/tags').set('Origin', 'https://evil.example.net');
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends helmet security headers and no framework fingerprint', async () => {
    const response = await ctx.api.call('get', '/api/tags').expect(200);
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'strict-transport-security': expect.stringMatching(/max-age=\d+/),
      'content-security-policy': expect.stringContaining("default-src 'self'"),
    });
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('refuses every write operation without a token (401), as documented', async () => {
    const document = JSON.parse(readFileSync(join(__dirname, '../../../openapi/openapi.json'), 'utf8'));
    const writes: [string, string][] = [];
    for (const [path, item] of Object.entries<Record<string, { security?: object[] }>>(document.paths)) {
      for (const method of ['post', 'put', 'delete']) {
        const operation = item[method];
        // Registration and login are the two writes that need no token.
        if (operation && !['/api/users', '/api/users/login'].includes(path)) writes.push([method, path.replace(/\{[^}]+\}/g, '1')]);
      }
    }
    expect(writes.length).toBeGreaterThanOrEqual(13);
    for (const [method, path] of writes) {
      const response = await ctx.api.call(method as 'post', path, { body: {} });
      expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} 401`);
      expectErrorShape(response.body);
    }
  });

  it("refuses every write on another user's resources (403) and leaves them unchanged", async () => {
    const [owner, intruder] = [await ctx.api.register(), await ctx.api.register()];
    const article = await ctx.api.createArticle(owner.token, { title: unique('Owned '), body: 'original' });
    const comment = (
      await ctx.api.call('post', `/api/articles/${article.slug}/comments`, { token: owner.token, body: { comment: { body: 'mine' } } }).expect(200)
    ).body.comment;
    const webhook = (
      await ctx.api
        .call('post', '/api/webhooks', { token: owner.token, body: { webhook: { url: 'https://example.com/h', events: ['comment.created'] } } })
        .expect(201)
    ).body.webhook;

    const attempts: [string, 'put' | 'delete' | 'get', string, unknown?][] = [
      ['edit the article', 'put', `/api/articles/${article.slug}`, { article: { body: 'defaced' } }],
      ['delete the article', 'delete', `/api/articles/${article.slug}`],
      ['delete the comment', 'delete', `/api/articles/${article.slug}/comments/${comment.id}`],
      ['delete the webhook', 'delete', `/api/webhooks/${webhook.id}`],
      ["read the webhook's deliveries", 'get', `/api/webhooks/${webhook.id}/deliveries`],
    ];
    for (const [what, method, path, body] of attempts) {
      const response = await ctx.api.call(method, path, { token: intruder.token, body });
      expect(`${what}: ${response.status}`).toBe(`${what}: 403`);
      expectErrorShape(response.body);
    }
    const stored = (await ctx.api.call('get', `/api/articles/${article.slug}`).expect(200)).body.article;
    expect(stored.body).toBe('original');
    expect((await ctx.api.call('get', `/api/articles/${article.slug}/comments`).expect(200)).body.comments.map((c: { id: number }) => c.id)).toEqual([
      comment.id,
    ]);
    expect((await ctx.api.call('get', '/api/webhooks', { token: owner.token }).expect(200)).body.webhooks).toHaveLength(1);

    // Marking notifications read touches only the caller's own, whatever ids are sent.
    await ctx.api.follow(intruder.token, owner.username);
    await ctx.db.query(
      `INSERT INTO notifications (recipient_id, event_id, type, actor_id) SELECT o.id, -o.id, 'follow', i.id FROM users o, users i WHERE o.username = $1 AND i.username = $2`,
      [owner.username, intruder.username],
    );
    const [{ id: notificationId }] = await ctx.db.query(
      `SELECT n.id::int AS id FROM notifications n JOIN users u ON u.id = n.recipient_id WHERE u.username = $1`,
      [owner.username],
    );
    await ctx.api.call('post', '/api/notifications/read', { token: intruder.token, body: { ids: [notificationId] } }).expect(200);
    const [{ read_at }] = await ctx.db.query('SELECT read_at FROM notifications WHERE id = $1', [notificationId]);
    expect(read_at).toBeNull();
  });

  it('refuses webhook targets that are not public addresses or use other ports, when they are registered', async () => {
    const owner = await ctx.api.register();
    const register = (url: string) => ctx.api.call('post', '/api/webhooks', { token: owner.token, body: { webhook: { url, events: ['user.followed'] } } });
    const refused = {
      'http://127.0.0.1/hook': 'url refused: not a public address',
      'http://10.1.2.3/hook': 'url refused: not a public address',
      'http://169.254.169.254/latest/meta-data': 'url refused: not a public address',
      'http://[64:ff9b::a00:1]/hook': 'url refused: not a public address',
      'http://[2002:a00:1::1]/hook': 'url refused: not a public address',
      'http://[2001:0:4136:e378::1]/hook': 'url refused: not a public address',
      'http://metadata.internal/hook': 'url refused: not a public address',
      'https://hooks.example.com:6379/hook': 'url refused: port not allowed',
      'http://93.184.216.34:22/hook': 'url refused: port not allowed',
    };
    for (const [url, message] of Object.entries(refused)) {
      const response = await register(url);
      expect(`${url} ${response.status} ${response.body.errors?.body?.[0]}`).toBe(`${url} 422 ${message}`);
    }
    await register('https://hooks.example.com/conduit').expect(201);
    await register('http://93.184.216.34/conduit').expect(201);
  });
});
