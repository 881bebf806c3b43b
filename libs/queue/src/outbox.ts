import { currentRequestId } from '@app/logging';
import type { EntityManager } from 'typeorm';
import type { DomainEvent, DomainEventPayloads, DomainEventType } from './events';

const OUTBOX_COLUMNS = 'outbox_events (type, payload, request_id)';

/**
 * Records a domain event inside the caller's transaction: it exists if and
 * only if the change committed, and survives a Redis outage (the worker's
 * relay moves it to the queue once Redis answers).
 */
export async function recordEvent(tx: EntityManager, event: DomainEvent): Promise<void> {
  await tx.query(`INSERT INTO ${OUTBOX_COLUMNS} VALUES ($1, $2, $3)`, [event.type, JSON.stringify(event.payload), currentRequestId() ?? null]);
}

/** An event whose payload lacks the id the same statement generates (merged in by `outboxInsert`). */
export interface PendingEvent<T extends DomainEventType, K extends keyof DomainEventPayloads[T] = never> {
  readonly type: T;
  readonly payload: Omit<DomainEventPayloads[T], K>;
  /** The payload field that takes the generated id, and the column of `from` that holds it. */
  readonly generatedId?: { readonly field: K; readonly column: string };
}

/**
 * For a write that is one SQL statement (data-modifying CTEs, atomic without
 * a transaction round trip): the outbox insert of `event`, to use as one of
 * its CTEs. One event is recorded for each row of the CTE `from`, so none when
 * the change did not happen. Appends its values to `params`.
 */
export function outboxInsert<T extends DomainEventType, K extends keyof DomainEventPayloads[T] = never>(
  params: unknown[],
  event: PendingEvent<T, K>,
  from: string,
): string {
  const type = `$${params.push(event.type)}`;
  let payload = `$${params.push(JSON.stringify(event.payload))}::jsonb`;
  if (event.generatedId) payload += ` || jsonb_build_object('${String(event.generatedId.field)}', ${from}.${event.generatedId.column})`;
  const requestId = `$${params.push(currentRequestId() ?? null)}::text`;
  return `INSERT INTO ${OUTBOX_COLUMNS} SELECT ${type}, ${payload}, ${requestId} FROM ${from}`;
}
