import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { loadConfig } from '@app/config';
import { sign } from 'jsonwebtoken';
import { AuthGuard } from './auth.guard';
import { AuthMode } from './auth.decorators';
import { TokenRevocations } from './token-revocations';
import { AuthUser, TokenService } from './token.service';
import { httpStatusOf } from '@app/testing';

const config = loadConfig({ DATABASE_URL: 'postgres://localhost/db', REDIS_URL: 'redis://localhost', JWT_SECRET: 'unit-test-secret-unit-test-secret-0123' });
const tokens = new TokenService(config);
/** Stands in for the revocation list (its own behaviour is covered by sessions.e2e-spec.ts): revokes the ids listed. */
const revokedIds = new Set<string>();
const revocations = { isRevoked: (user: AuthUser) => revokedIds.has(user.session.tokenId) } as unknown as TokenRevocations;
const claims = (id: number) => ({ gen: 0, jwtid: 'A'.repeat(21) + String(id % 10), subject: String(id), issuer: 'conduit' });

function contextFor(mode: AuthMode | undefined, authorization?: string) {
  const request: { headers: Record<string, string>; user?: unknown } = { headers: authorization ? { authorization } : {} };
  const reflector = { getAllAndOverride: () => mode } as unknown as Reflector;
  const context = {
    getHandler: () => undefined,
    getClass: () => undefined,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { guard: new AuthGuard(reflector, tokens, revocations), context, request };
}

describe('TokenService', () => {
  it('round-trips a user id and generation, gives every token its own id, and expires tokens', () => {
    const token = tokens.sign({ id: 42, tokenGeneration: 3 });
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(tokens.verify(token)).toEqual({ id: 42, session: { tokenId: payload.jti, generation: 3, expiresAt: payload.exp * 1000 } });
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(tokens.verify(tokens.sign({ id: 42, tokenGeneration: 3 }))?.session.tokenId).not.toBe(payload.jti);
    expect(payload.exp - payload.iat).toBe(config.jwtTtlSeconds);
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).alg).toBe('HS256');
  });

  it('rejects other algorithms, secrets, issuers, malformed subjects and tokens that cannot be revoked', () => {
    const secret = config.jwtSecret;
    const { gen, jwtid, subject, issuer } = claims(1);
    const good = { jwtid, subject, issuer, expiresIn: 60 };
    expect(tokens.verify(sign({ gen }, secret, { ...good, algorithm: 'HS384' }))).toBeUndefined();
    expect(tokens.verify(sign({ gen }, 'x'.repeat(40), good))).toBeUndefined();
    expect(tokens.verify(sign({ gen }, secret, { ...good, issuer: 'other' }))).toBeUndefined();
    expect(tokens.verify(sign({ gen }, secret, { ...good, subject: 'admin' }))).toBeUndefined();
    expect(tokens.verify(`${sign({ gen }, '', { ...good, algorithm: 'none' })}`)).toBeUndefined();
    expect(tokens.verify(sign({ gen, exp: Math.floor(Date.now() / 1000) - 5 }, secret, { jwtid, subject, issuer }))).toBeUndefined();
    // without a token id or a generation (as issued before revocation existed), or with odd ones
    expect(tokens.verify(sign({ gen }, secret, { subject, issuer, expiresIn: 60 }))).toBeUndefined();
    expect(tokens.verify(sign({}, secret, good))).toBeUndefined();
    expect(tokens.verify(sign({ gen: -1 }, secret, good))).toBeUndefined();
    expect(tokens.verify(sign({ gen: '0' }, secret, good))).toBeUndefined();
    expect(tokens.verify(sign({ gen }, secret, { ...good, jwtid: 'short' }))).toBeUndefined();
    expect(tokens.verify(sign({ gen }, secret, { jwtid, subject, issuer }))).toBeUndefined(); // no expiry
    // and accepts a good token however it was made (the key object is the configured secret)
    expect(tokens.verify(sign({ gen: 2 }, secret, { ...good, subject: '9' }))).toMatchObject({ id: 9, session: { tokenId: jwtid, generation: 2 } });
  });
});

describe('AuthGuard', () => {
  const valid = () => tokens.sign({ id: 7, tokenGeneration: 0 });

  it('lets unmarked routes through untouched', () => {
    const { guard, context, request } = contextFor(undefined, 'Token garbage');
    expect(guard.canActivate(context)).toBe(true);
    expect(request.user).toBeUndefined();
  });

  it('requires a token on @Auth() routes and accepts both Token and Bearer', () => {
    expect(httpStatusOf(() => contextFor('required').guard.canActivate(contextFor('required').context))).toBe(401);
    for (const scheme of ['Token', 'Bearer', 'token']) {
      const { guard, context, request } = contextFor('required', `${scheme} ${valid()}`);
      expect(guard.canActivate(context)).toBe(true);
      expect(request.user).toMatchObject({ id: 7 });
    }
  });

  it('on @OptionalAuth() routes, passes anonymous requests but refuses a bad token with 401', () => {
    const anonymous = contextFor('optional');
    expect(anonymous.guard.canActivate(anonymous.context)).toBe(true);
    const bad = contextFor('optional', 'Token not.a.token');
    expect(httpStatusOf(() => bad.guard.canActivate(bad.context))).toBe(401);
    const wrongScheme = contextFor('optional', `Basic ${valid()}`);
    expect(httpStatusOf(() => wrongScheme.guard.canActivate(wrongScheme.context))).toBe(401);
  });

  it('refuses a revoked token with 401, on required and optional routes alike', () => {
    const token = valid();
    revokedIds.add(tokens.verify(token)!.session.tokenId);
    for (const mode of ['required', 'optional'] as const) {
      const { guard, context } = contextFor(mode, `Token ${token}`);
      expect(httpStatusOf(() => guard.canActivate(context))).toBe(401);
    }
    const other = contextFor('required', `Token ${valid()}`);
    expect(other.guard.canActivate(other.context)).toBe(true);
  });
});
