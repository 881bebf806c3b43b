import { ExecutionContext, HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { loadConfig } from '@app/config';
import { sign } from 'jsonwebtoken';
import { AuthGuard } from './auth.guard';
import { AuthMode } from './auth.decorators';
import { TokenService } from './token.service';

const config = loadConfig({ DATABASE_URL: 'postgres://localhost/db', REDIS_URL: 'redis://localhost', JWT_SECRET: 'unit-test-secret-unit-test-secret-0123' });
const tokens = new TokenService(config);

function contextFor(mode: AuthMode | undefined, authorization?: string) {
  const request: { headers: Record<string, string>; user?: unknown } = { headers: authorization ? { authorization } : {} };
  const reflector = { getAllAndOverride: () => mode } as unknown as Reflector;
  const context = {
    getHandler: () => undefined,
    getClass: () => undefined,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { guard: new AuthGuard(reflector, tokens), context, request };
}

function statusOf(run: () => unknown): number | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof HttpException ? error.getStatus() : -1;
  }
}

describe('TokenService', () => {
  it('round-trips a user id and expires tokens', () => {
    const token = tokens.sign({ id: 42 });
    expect(tokens.verify(token)).toEqual({ id: 42 });
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(payload.exp - payload.iat).toBe(config.jwtTtlSeconds);
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).alg).toBe('HS256');
  });

  it('rejects other algorithms, secrets, issuers and malformed subjects', () => {
    const secret = config.jwtSecret;
    expect(tokens.verify(sign({}, secret, { algorithm: 'HS384', subject: '1', issuer: 'conduit' }))).toBeUndefined();
    expect(tokens.verify(sign({}, 'x'.repeat(40), { subject: '1', issuer: 'conduit' }))).toBeUndefined();
    expect(tokens.verify(sign({}, secret, { subject: '1', issuer: 'other' }))).toBeUndefined();
    expect(tokens.verify(sign({}, secret, { subject: 'admin', issuer: 'conduit' }))).toBeUndefined();
    expect(tokens.verify(`${sign({}, '', { algorithm: 'none', subject: '1', issuer: 'conduit' })}`)).toBeUndefined();
    expect(tokens.verify(sign({ exp: Math.floor(Date.now() / 1000) - 5 }, secret, { subject: '1', issuer: 'conduit' }))).toBeUndefined();
    // and accepts a good token however it was made (the key object is the configured secret)
    expect(tokens.verify(sign({}, secret, { subject: '9', issuer: 'conduit' }))).toEqual({ id: 9 });
  });
});

describe('AuthGuard', () => {
  const valid = () => tokens.sign({ id: 7 });

  it('lets unmarked routes through untouched', () => {
    const { guard, context, request } = contextFor(undefined, 'Token garbage');
    expect(guard.canActivate(context)).toBe(true);
    expect(request.user).toBeUndefined();
  });

  it('requires a token on @Auth() routes and accepts both Token and Bearer', () => {
    expect(statusOf(() => contextFor('required').guard.canActivate(contextFor('required').context))).toBe(401);
    for (const scheme of ['Token', 'Bearer', 'token']) {
      const { guard, context, request } = contextFor('required', `${scheme} ${valid()}`);
      expect(guard.canActivate(context)).toBe(true);
      expect(request.user).toEqual({ id: 7 });
    }
  });

  it('on @OptionalAuth() routes, passes anonymous requests but refuses a bad token with 401', () => {
    const anonymous = contextFor('optional');
    expect(anonymous.guard.canActivate(anonymous.context)).toBe(true);
    const bad = contextFor('optional', 'Token not.a.token');
    expect(statusOf(() => bad.guard.canActivate(bad.context))).toBe(401);
    const wrongScheme = contextFor('optional', `Basic ${valid()}`);
    expect(statusOf(() => wrongScheme.guard.canActivate(wrongScheme.context))).toBe(401);
  });
});
