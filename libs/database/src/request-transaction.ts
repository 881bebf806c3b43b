import { AsyncLocalStorage } from 'node:async_hooks';
import type { Tx } from './tx';

interface Ambient {
  readonly tx: Tx;
  readonly afterCommit: (() => Promise<void>)[];
  /** Set when the work is done: something it started and left running (a cache fill) must not use the finished transaction's connection. */
  open: boolean;
}

/**
 * A transaction that a whole piece of work runs in without passing it along: while one is open
 * (`Transactions.runAround`), `Sql` runs every statement of that work on it and
 * `Transactions.run` joins it. What the work announces to others (cache invalidation, token
 * revocations) waits for its commit (`afterCommit`): announced earlier, another instance could
 * act on the old rows, or on a change that is then rolled back. The idempotency layer
 * (apps/api/src/http/idempotency) runs a request this way, so that its change and the record of
 * its answer commit together.
 */
const storage = new AsyncLocalStorage<Ambient>();

export function ambientTransaction(): Tx | undefined {
  const ambient = storage.getStore();
  return ambient?.open ? ambient.tx : undefined;
}

/** Runs `work` with `tx` as the ambient transaction; the hooks it registers are returned, to run after the commit. */
export async function withAmbientTransaction<T>(tx: Tx, work: () => Promise<T>): Promise<{ result: T; afterCommit: (() => Promise<void>)[] }> {
  const ambient: Ambient = { tx, afterCommit: [], open: true };
  try {
    const result = await storage.run(ambient, work);
    return { result, afterCommit: ambient.afterCommit };
  } finally {
    ambient.open = false;
  }
}

/**
 * Runs `effect` once the ambient transaction has committed (never, if it rolls back), or now when
 * there is none. Resolves at once when it waits: the caller's work goes on.
 */
export async function afterCommit(effect: () => Promise<void>): Promise<void> {
  const ambient = storage.getStore();
  if (!ambient?.open) return effect();
  ambient.afterCommit.push(effect);
}
