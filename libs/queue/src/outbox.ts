import { currentRequestId } from '@app/logging';
import { currentTraceparent } from '@app/tracing';
import type { DomainEventPayloads, DomainEventType } from './events';

const OUTBOX_COLUMNS = 'outbox_events (type, payload, request_id, traceparent)';

/** An event whose payload lacks the id the same statement generates (merged in by `outboxInsert`). */
export interface PendingEvent<T extends DomainEventType, K extends keyof DomainEventPayloads[T] = never> {
  readonly type: T;
  readonly payload: Omit<DomainEventPayloads[T], K>;
  /** The payload field that takes the generated id, and the column of `from` that holds it. */
  readonly generatedId?: { readonly field: K; readonly column: string };
}

/**
 * How every domain event is recorded: inside the statement of the change
 * itself (data-modifying CTEs, atomic without a transaction round trip), so
 * it exists if and only if the change happened, and survives a Redis outage
 * (the worker's relay moves it to the queue once Redis answers). The outbox
 * insert of `event`, to use as one of the statement's CTEs. One event is recorded for each row of the CTE `from`, so none when
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
  // The request's trace goes on in the jobs of the event (docs/operations.md, "Traces").
  const traceparent = `$${params.push(currentTraceparent() ?? null)}::text`;
  return `INSERT INTO ${OUTBOX_COLUMNS} SELECT ${type}, ${payload}, ${requestId}, ${traceparent} FROM ${from}`;
}
