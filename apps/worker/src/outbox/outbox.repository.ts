import { Injectable } from '@nestjs/common';
import { Sql, statement, Tx } from '@app/database';
import type { DomainEvent } from '@app/queue';

export interface OutboxRow {
  id: string;
  type: DomainEvent['type'];
  payload: DomainEvent['payload'];
  request_id: string | null;
  traceparent: string | null;
  created_at: Date;
}

/** The oldest unrelayed events, locked for this transaction; other relays skip them (several workers relay at once). */
const CLAIM = statement(`
  SELECT id::text AS id, type, payload, request_id, traceparent, created_at FROM outbox_events
   WHERE relayed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`);
const MARK_RELAYED = statement('UPDATE outbox_events SET relayed_at = now() WHERE id = ANY($1::bigint[])');

/** The relay's side of the outbox (the API writes events into it, @app/queue). */
@Injectable()
export class OutboxRepository {
  constructor(private readonly sql: Sql) {}

  claimBatch(tx: Tx, limit: number): Promise<OutboxRow[]> {
    return this.sql.rows<OutboxRow>(CLAIM, [limit], tx);
  }

  async markRelayed(tx: Tx, ids: readonly string[]): Promise<void> {
    await this.sql.execute(MARK_RELAYED, [ids], tx);
  }
}
