import { Injectable } from '@nestjs/common';
import { Sql, Statement, statement } from '@app/database';

/** Deletes in slices so no single statement holds locks on many rows. */
export const SLICE = 5000;

const slice = (table: string, condition: string) => statement(`DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${condition} LIMIT ${SLICE})`);

/** Rows past their retention (`$1` days), one slice per statement. */
const PRUNE = {
  notifications: slice('notifications', 'read_at IS NOT NULL AND created_at < now() - make_interval(days => $1)'),
  webhookDeliveries: slice('webhook_deliveries', "status <> 'pending' AND created_at < now() - make_interval(days => $1)"),
  outboxEvents: slice('outbox_events', 'relayed_at < now() - make_interval(days => $1)'),
} as const;

export type PrunedTable = keyof typeof PRUNE;

/** Token revocations whose tokens have all expired: nothing they revoke can be presented any more. */
const PRUNE_EXPIRED_REVOCATIONS = slice('token_revocations', 'expires_at < now()');
/** Answers kept for Idempotency-Key retries past their time (the table's key is (scope, key): slices by row address). */
const PRUNE_EXPIRED_IDEMPOTENCY_KEYS = statement(
  `DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(SELECT ctid FROM idempotency_keys WHERE expires_at < now() LIMIT ${SLICE}))`,
);

@Injectable()
export class RetentionRepository {
  constructor(private readonly sql: Sql) {}

  /** Deletes every row of `table` older than `days`, slice by slice; the number deleted. */
  prune(table: PrunedTable, days: number): Promise<number> {
    return this.inSlices(PRUNE[table], [days]);
  }

  pruneExpiredRevocations(): Promise<number> {
    return this.inSlices(PRUNE_EXPIRED_REVOCATIONS, []);
  }

  pruneExpiredIdempotencyKeys(): Promise<number> {
    return this.inSlices(PRUNE_EXPIRED_IDEMPOTENCY_KEYS, []);
  }

  private async inSlices(slice: Statement, params: unknown[]): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.sql.execute(slice, params);
      total += deleted;
      if (deleted < SLICE) return total;
    }
  }
}
