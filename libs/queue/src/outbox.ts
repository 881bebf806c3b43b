import { currentRequestId } from '@app/logging';
import type { EntityManager } from 'typeorm';
import type { DomainEvent } from './events';

/**
 * Records a domain event inside the caller's transaction: it exists if and
 * only if the change committed, and survives a Redis outage (the worker's
 * relay moves it to the queue once Redis answers).
 */
export async function recordEvent(tx: EntityManager, event: DomainEvent): Promise<void> {
  await tx.query('INSERT INTO outbox_events (type, payload, request_id) VALUES ($1, $2, $3)', [event.type, JSON.stringify(event.payload), currentRequestId() ?? null]);
}
