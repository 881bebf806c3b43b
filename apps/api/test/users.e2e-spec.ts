import { randomBytes } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { loadConfig } from '@app/config';
import { unique } from '@app/testing';
import { expectErrorShape, useApiTestApp } from './support/api-test-app';

/** What our tokens carry besides `gen`: a subject, an id (jti, what logout revokes), the issuer and an expiry. */
const claims = (subject: string) => ({ subject, jwtid: randomBytes(16).toString('base64url'), issuer: 'conduit', expiresIn: 60 });

describe('users and authentication', () => {
  const ctx = useApiTestApp();

  describe('POST /api/users (register)', () => {
    it('answers 201 with the user, a token, and bio/image present as null', async () => {
      const username = unique('jake');
      const response = await ctx.api
        .call('post', '/api/users', { body: { user: { username, email: `${username}@Example.com`, password: 'jakejake1' } } })
        .expect(201);
      expect(response.body).toEqual({
        user: { email: `${username}@Example.com`, token: expect.any(String), username, bio: null, image: null },
      });
      expect(JSON.stringify(response.body)).not.toMatch(/password|hash|\$argon2/i);
    });

    it('stores an argon2id hash, never the password', async () => {
      const user = await ctx.api.register();
      const [row] = await ctx.db.query('SELECT password_hash FROM users WHERE username = $1', [user.username]);
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$(?=[^$]*m=\d+)(?=[^$]*t=\d+)(?=[^$]*p=\d+)[^$]+\$/);
      expect(row.password_hash).not.toContain(user.password);
    });

    it('refuses a taken username (in any case) and a taken email (in any case) with 422', async () => {
      const user = await ctx.api.register();
      const byName = await ctx.api
        .call('post', '/api/users', { body: { user: { username: user.username.toUpperCase(), email: `${unique('o')}@example.com`, password: 'password1' } } })
        .expect(422);
      expect(byName.body).toEqual({ errors: { body: ['username has already been taken'] } });
      const byEmail = await ctx.api
        .call('post', '/api/users', { body: { user: { username: unique('o'), email: user.email.toUpperCase(), password: 'password1' } } })
        .expect(422);
      expect(byEmail.body).toEqual({ errors: { body: ['email has already been taken'] } });
    });

    it('gives exactly one 201 when ten registrations race for one username and email', async () => {
      const username = unique('race');
      const attempts = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          ctx.api.call('post', '/api/users', {
            body: { user: { username: i % 2 ? username : username.toUpperCase(), email: `${username}@example.com`, password: 'password1' } },
          }),
        ),
      );
      const statuses = attempts.map((response) => response.status).sort();
      expect(statuses).toEqual([201, ...Array(9).fill(422)]);
      const [{ count }] = await ctx.db.query('SELECT count(*)::int AS count FROM users WHERE lower(username) = lower($1)', [username]);
      expect(count).toBe(1);
    });

    it.each([
      ['a missing user object', {}],
      ['a user that is a string', { user: 'jake' }],
      ['a user that is an array', { user: [] }],
      ['a missing email', { user: { username: 'someone', password: 'password1' } }],
      ['an invalid email', { user: { username: 'someone', email: 'not-an-email', password: 'password1' } }],
      ['a short password', { user: { username: 'someone', email: 'someone@example.com', password: 'short' } }],
      ['a number as username', { user: { username: 42, email: 'someone@example.com', password: 'password1' } }],
      ['an object as email', { user: { username: 'someone', email: { $gt: '' }, password: 'password1' } }],
      ['a username with a slash', { user: { username: 'a/b', email: 'someone@example.com', password: 'password1' } }],
      ['a huge username', { user: { username: 'x'.repeat(10_000), email: 'someone@example.com', password: 'password1' } }],
    ])('answers 422 in the error shape for %s', async (_label, body) => {
      const response = await ctx.api.call('post', '/api/users', { body }).expect(422);
      expectErrorShape(response.body);
    });
  });

  describe('POST /api/users/login', () => {
    it('logs in with the registered credentials, the email in any case', async () => {
      const user = await ctx.api.register();
      const response = await ctx.api
        .call('post', '/api/users/login', { body: { user: { email: user.email.toUpperCase(), password: user.password } } })
        .expect(200);
      expect(response.body.user).toEqual({ email: user.email, token: expect.any(String), username: user.username, bio: null, image: null });
    });

    it('gives the same status and body for a wrong password and an unknown email', async () => {
      const user = await ctx.api.register();
      const wrongPassword = await ctx.api.call('post', '/api/users/login', { body: { user: { email: user.email, password: 'wrong-password' } } });
      const unknownEmail = await ctx.api.call('post', '/api/users/login', {
        body: { user: { email: `${unique('nobody')}@example.com`, password: 'wrong-password' } },
      });
      expect(wrongPassword.status).toBe(401);
      expect(unknownEmail.status).toBe(401);
      expect(unknownEmail.body).toEqual(wrongPassword.body);
      expectErrorShape(wrongPassword.body);
    });

    it('answers 422 for a malformed login body', async () => {
      expectErrorShape((await ctx.api.call('post', '/api/users/login', { body: { user: { email: 5 } } }).expect(422)).body);
    });
  });

  describe('GET /api/user', () => {
    it('returns the current user for "Token" and for "Bearer"', async () => {
      const user = await ctx.api.register();
      const token = await ctx.api.call('get', '/api/user', { token: user.token }).expect(200);
      expect(token.body.user.username).toBe(user.username);
      const bearer = await ctx.api.call('get', '/api/user').set('Authorization', `Bearer ${user.token}`).expect(200);
      expect(bearer.body.user.email).toBe(user.email);
    });

    it('answers 401 without a token', async () => {
      expectErrorShape((await ctx.api.call('get', '/api/user').expect(401)).body);
    });

    it.each([
      ['garbage', 'Token abc'],
      ['a wrong scheme', 'Basic dXNlcjpwYXNz'],
      ['a token signed with another secret', `Token ${sign({ gen: 0 }, 'another-secret-that-is-long-enough-0123456789', claims('1'))}`],
      ['an unsigned token (alg none)', `Token ${sign({ gen: 0 }, '', { ...claims('1'), algorithm: 'none' })}.`],
      ['a token with the right secret but HS512', `Token ${sign({ gen: 0 }, devSecret(), { ...claims('1'), algorithm: 'HS512' })}`],
      [
        'an expired token',
        `Token ${sign({ gen: 0, exp: Math.floor(Date.now() / 1000) - 60 }, devSecret(), { subject: '1', jwtid: claims('1').jwtid, issuer: 'conduit' })}`,
      ],
      ['a token of another issuer', `Token ${sign({ gen: 0 }, devSecret(), { ...claims('1'), issuer: 'someone-else' })}`],
      ['a token without an id, which could not be revoked', `Token ${sign({ gen: 0 }, devSecret(), { subject: '1', issuer: 'conduit', expiresIn: 60 })}`],
    ])('answers 401 for %s', async (_label, header) => {
      const response = await ctx.api.call('get', '/api/user').set('Authorization', header).expect(401);
      expectErrorShape(response.body);
    });

    it('accepts a token signed like ours (the forged cases above fail for their flaw alone)', async () => {
      const user = await ctx.api.register();
      const [{ id }] = await ctx.db.query('SELECT id FROM users WHERE username = $1', [user.username]);
      const token = sign({ gen: 0 }, devSecret(), { ...claims(String(id)), algorithm: 'HS256' });
      expect((await ctx.api.call('get', '/api/user', { token }).expect(200)).body.user.username).toBe(user.username);
    });
  });

  describe('PUT /api/user', () => {
    it('updates fields and returns the updated user', async () => {
      const user = await ctx.api.register();
      const username = unique('renamed');
      const response = await ctx.api
        .call('put', '/api/user', { token: user.token, body: { user: { username, bio: 'I like dragons', image: 'https://example.com/a.png' } } })
        .expect(200);
      expect(response.body.user).toMatchObject({ username, bio: 'I like dragons', image: 'https://example.com/a.png', email: user.email });
    });

    it('changes the password (the old one stops working)', async () => {
      const user = await ctx.api.register();
      await ctx.api.call('put', '/api/user', { token: user.token, body: { user: { password: 'a-brand-new-password' } } }).expect(200);
      await ctx.api.call('post', '/api/users/login', { body: { user: { email: user.email, password: user.password } } }).expect(401);
      await ctx.api.call('post', '/api/users/login', { body: { user: { email: user.email, password: 'a-brand-new-password' } } }).expect(200);
    });

    it('refuses an email another user has, an empty update and a javascript: image with 422', async () => {
      const [a, b] = [await ctx.api.register(), await ctx.api.register()];
      const taken = await ctx.api.call('put', '/api/user', { token: a.token, body: { user: { email: b.email } } }).expect(422);
      expect(taken.body).toEqual({ errors: { body: ['email has already been taken'] } });
      expectErrorShape((await ctx.api.call('put', '/api/user', { token: a.token, body: { user: {} } }).expect(422)).body);
      expectErrorShape((await ctx.api.call('put', '/api/user', { token: a.token, body: { user: { image: 'javascript:alert(1)' } } }).expect(422)).body);
    });

    it('refuses null for username, email and password (422) but accepts it for bio and image', async () => {
      const user = await ctx.api.register();
      for (const field of ['username', 'email', 'password']) {
        expectErrorShape((await ctx.api.call('put', '/api/user', { token: user.token, body: { user: { [field]: null } } }).expect(422)).body);
      }
      const cleared = await ctx.api.call('put', '/api/user', { token: user.token, body: { user: { bio: null, image: null } } }).expect(200);
      expect(cleared.body.user).toMatchObject({ username: user.username, email: user.email, bio: null, image: null });
    });

    it('answers 401 without a token', async () => {
      await ctx.api.call('put', '/api/user', { body: { user: { bio: 'x' } } }).expect(401);
    });
  });
});

/** The secret the API under test signs with, read through the same config loader. */
function devSecret(): string {
  return loadConfig().jwtSecret;
}
