import { Injectable } from '@nestjs/common';
import { Sql, statement, Tx } from '@app/database';

/**
 * Held until the transaction ends: the first request with a key holds it while it runs, and a
 * retry that finds it held answers 409 instead of waiting (or doing the work twice).
 */
const TRY_LOCK = statement(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, 7140)) AS locked`);
const FIND = statement(`SELECT fingerprint, status, response FROM idempotency_keys WHERE scope = $1 AND key = $2 AND expires_at > now()`);
/** A record past its expiry may still be there (the worker prunes it later): replaced. */
const SAVE = statement(`
  INSERT INTO idempotency_keys (scope, key, fingerprint, status, response, expires_at)
  VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))
  ON CONFLICT (scope, key) DO UPDATE
     SET fingerprint = EXCLUDED.fingerprint, status = EXCLUDED.status, response = EXCLUDED.response,
         created_at = now(), expires_at = EXCLUDED.expires_at
   WHERE idempotency_keys.expires_at <= now()`);

export interface StoredAnswer {
  readonly fingerprint: Buffer;
  readonly status: number;
  readonly response: Buffer;
}

/** idempotency_keys: the answers to requests with an Idempotency-Key, each in its change's transaction. */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly sql: Sql) {}

  async tryLock(scope: string, key: string, tx: Tx): Promise<boolean> {
    return (await this.sql.one<{ locked: boolean }>(TRY_LOCK, [`${scope}\n${key}`], tx))!.locked;
  }

  find(scope: string, key: string, tx: Tx): Promise<StoredAnswer | undefined> {
    return this.sql.one<StoredAnswer>(FIND, [scope, key], tx);
  }

  async save(scope: string, key: string, answer: StoredAnswer, lifetimeSeconds: number, tx: Tx): Promise<void> {
    await this.sql.execute(SAVE, [scope, key, answer.fingerprint, answer.status, answer.response, lifetimeSeconds], tx);
  }
}
