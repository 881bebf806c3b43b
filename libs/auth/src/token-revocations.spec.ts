import { loadConfig } from '@app/config';
import type { RedisClient } from '@app/redis';
import type { Revocation, RevocationsRepository, StoredRevocation } from './revocations.repository';
import { TokenRevocations } from './token-revocations';
import type { AuthUser } from './token.service';

/**
 * The in-memory list's reading of PostgreSQL, against a fake table whose rows commit in any
 * order (the real table, Redis and several instances: sessions.e2e-spec.ts).
 */
class FakeTable {
  private rows: { id: bigint; revocation: Revocation; committed: boolean }[] = [];
  private nextId = 1n;
  reads = 0;

  /** Inserts a row (its id handed out now), visible once committed. */
  insert(revocation: Revocation, committed = true): { commit: () => void } {
    const row = { id: this.nextId++, revocation, committed };
    this.rows.push(row);
    return { commit: () => (row.committed = true) };
  }

  async newRows(afterId: bigint, ids: readonly bigint[]): Promise<StoredRevocation[]> {
    this.reads++;
    return this.rows
      .filter((row) => row.committed && (row.id > afterId || ids.includes(row.id)) && row.revocation.expiresAt > Date.now())
      .map((row) => ({ revocation: row.revocation, id: String(row.id) }));
  }
}

const config = loadConfig({ DATABASE_URL: 'postgres://localhost/db', REDIS_URL: 'redis://localhost', JWT_SECRET: 'unit-test-secret-unit-test-secret-0123' });
const later = () => Date.now() + 60_000;
const session = (tokenId: string, id = 1, generation = 0): AuthUser => ({ id, session: { tokenId, generation, expiresAt: later() } });
const logout = (tokenId: string): Revocation => ({ kind: 'token', tokenId, expiresAt: later() });

function listOn(table: FakeTable) {
  const redis = { spublish: async () => 1 } as unknown as RedisClient;
  return new TokenRevocations(table as unknown as RevocationsRepository, redis, config);
}

describe('TokenRevocations', () => {
  it('reads only new rows each time, and a row that commits after a newer one was read', async () => {
    const table = new FakeTable();
    table.insert(logout('first'));
    const slow = table.insert(logout('slow'), false); // id 2: its transaction is still open
    table.insert(logout('third'));
    const list = listOn(table);
    await list.readNew();
    expect([list.isRevoked(session('first')), list.isRevoked(session('slow')), list.isRevoked(session('third'))]).toEqual([true, false, true]);

    slow.commit();
    await list.readNew();
    expect(list.isRevoked(session('slow'))).toBe(true);
    table.insert(logout('fourth'));
    await list.readNew();
    expect(list.isRevoked(session('fourth'))).toBe(true);
  });

  it('revokes the generations below a password change for that user only, and never lowers the bar', async () => {
    const table = new FakeTable();
    table.insert({ kind: 'generations', userId: 7, minGeneration: 2, expiresAt: later() });
    table.insert({ kind: 'generations', userId: 7, minGeneration: 1, expiresAt: later() });
    const list = listOn(table);
    await list.readNew();
    expect(list.isRevoked(session('a', 7, 1))).toBe(true);
    expect(list.isRevoked(session('b', 7, 2))).toBe(false);
    expect(list.isRevoked(session('c', 8, 0))).toBe(false);
  });

  it('applies its own revocation at once, before and whatever Redis answers', async () => {
    const list = new TokenRevocations(
      new FakeTable() as unknown as RevocationsRepository,
      { spublish: () => new Promise(() => undefined) } as unknown as RedisClient, // Redis never answers
      loadConfig({
        DATABASE_URL: 'postgres://localhost/db',
        REDIS_URL: 'redis://localhost',
        JWT_SECRET: 'unit-test-secret-unit-test-secret-0123',
        CACHE_TIMEOUT_MS: '20',
      }),
    );
    await list.publish(logout('mine'));
    expect(list.isRevoked(session('mine'))).toBe(true);
  });

  it('shares one running read between callers', async () => {
    const table = new FakeTable();
    const list = listOn(table);
    await Promise.all([list.readNew(), list.readNew(), list.readNew()]);
    expect(table.reads).toBe(1);
  });
});
