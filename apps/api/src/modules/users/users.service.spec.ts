import { HttpException } from '@nestjs/common';
import type { Revocation, TokenRevocations, TokenService } from '@app/auth';
import type { CacheService } from '@app/cache';
import type { Transactions, Tx } from '@app/database';
import type { LoginLockout } from './login-lockout';
import type { PasswordHasher } from './password-hasher';
import { User } from './user';
import { DuplicateUserFieldError, UsersRepository } from './users.repository';
import { UsersService } from './users.service';

const jake: User = { id: 1, username: 'jake', email: 'jake@jake.jake', bio: null, image: null, tokenGeneration: 0 };
const TX = {} as Tx;
/** What the fake revocation list was asked to do, in order. */
let revocationCalls: string[] = [];

function serviceWith(repository: Partial<UsersRepository>) {
  revocationCalls = [];
  const revocations = {
    revokeGenerationsBelow: async (userId: number, minGeneration: number, tx: Tx) => {
      revocationCalls.push(`store below ${minGeneration} for ${userId}${tx === TX ? ' in the transaction' : ''}`);
      return { kind: 'generations', userId, minGeneration, expiresAt: 0 } satisfies Revocation;
    },
    publish: async (revocation: Revocation) => void revocationCalls.push(`publish ${revocation.kind}`),
  } as unknown as TokenRevocations;
  const transactions = {
    run: async <T>(work: (tx: Tx) => Promise<T>) => {
      const result = await work(TX);
      revocationCalls.push('commit');
      return result;
    },
  } as unknown as Transactions;
  const tokens = { sign: ({ id }: { id: number }) => `token-for-${id}` } as unknown as TokenService;
  const cache = { bump: async () => undefined } as unknown as CacheService;
  const lockout = { beginAttempt: async () => undefined, succeeded: async () => undefined } as unknown as LoginLockout;
  // A fake hasher: the hash of p is "hash:p".
  const hasher = {
    hash: async (password: string) => `hash:${password}`,
    verify: async (hash: string | undefined, password: string) => hash === `hash:${password}`,
    needsRehash: () => false,
  } as unknown as PasswordHasher;
  return new UsersService(repository as UsersRepository, tokens, cache, lockout, hasher, revocations, transactions);
}

async function errorOf(promise: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpException) return { status: error.getStatus(), body: error.getResponse() };
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('UsersService', () => {
  it('issues a session on register and login', async () => {
    const service = serviceWith({ create: async () => jake, findCredentials: async () => ({ user: jake, passwordHash: 'hash:jakejake' }) });
    expect(await service.register({ username: 'jake', email: 'jake@jake.jake', password: 'jakejake' })).toEqual({ user: jake, token: 'token-for-1' });
    expect(await service.login('jake@jake.jake', 'jakejake', '203.0.113.1')).toEqual({ user: jake, token: 'token-for-1' });
  });

  it('turns a duplicate field into 422 with a field-specific message', async () => {
    const service = serviceWith({
      create: async () => {
        throw new DuplicateUserFieldError('email');
      },
    });
    expect(await errorOf(service.register({ username: 'x', email: 'x@y.z', password: 'p' }))).toEqual({
      status: 422,
      body: { errors: { body: ['email has already been taken'] } },
    });
  });

  it('answers bad credentials with 401 and a message that does not say which part was wrong', async () => {
    const service = serviceWith({ findCredentials: async () => undefined });
    expect(await errorOf(service.login('who@x.y', 'nope', '203.0.113.1'))).toEqual({
      status: 401,
      body: { errors: { body: ['email or password is invalid'] } },
    });
  });

  it('refuses an empty update and treats a token of a deleted account as 401', async () => {
    const service = serviceWith({ update: async () => undefined, findById: async () => undefined });
    expect((await errorOf(service.update(1, {}))).status).toBe(422);
    expect((await errorOf(service.update(1, { bio: 'x' }))).status).toBe(401);
    expect((await errorOf(service.current(1))).status).toBe(401);
  });

  it('stores an empty image as null and a new password as its hash, never as itself', async () => {
    const update = jest.fn(async () => jake);
    await serviceWith({ update }).update(1, { image: '' });
    expect(update).toHaveBeenCalledWith(1, { image: null });
    await serviceWith({ update }).update(1, { password: 'new-secret' });
    expect(update).toHaveBeenLastCalledWith(1, { image: undefined, passwordHash: 'hash:new-secret' }, TX);
  });

  it('revokes the older tokens with a password change, in its transaction, and announces it once committed', async () => {
    const changed = { ...jake, tokenGeneration: 4 };
    const service = serviceWith({ update: async () => changed });
    expect(await service.update(1, { password: 'new-secret' })).toEqual({ user: changed, token: 'token-for-1' });
    expect(revocationCalls).toEqual(['store below 4 for 1 in the transaction', 'commit', 'publish generations']);
    await service.update(1, { bio: 'no password here' });
    expect(revocationCalls).toEqual(['store below 4 for 1 in the transaction', 'commit', 'publish generations']);
  });

  it('refuses a wrong password as it refuses an unknown email', async () => {
    const service = serviceWith({ findCredentials: async () => ({ user: jake, passwordHash: 'hash:jakejake' }) });
    expect((await errorOf(service.login('jake@jake.jake', 'wrong', '203.0.113.1'))).status).toBe(401);
  });
});
