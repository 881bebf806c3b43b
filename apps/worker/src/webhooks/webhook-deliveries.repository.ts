import { Injectable } from '@nestjs/common';
import { Sql, statement } from '@app/database';

export interface DeliveryToSend {
  readonly id: string;
  readonly status: 'pending' | 'delivered' | 'dead';
  readonly url: string;
  readonly secret: string;
  readonly eventType: string;
  readonly eventId: string;
  readonly payload: unknown;
  readonly createdAt: Date;
}

export interface EventForDelivery {
  readonly ownerId: number;
  readonly eventId: string;
  readonly type: string;
  readonly payload: unknown;
}

const CREATE_FOR_EVENTS = statement(`
  WITH e AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS e(owner_id int, event_id bigint, event_type varchar, payload jsonb)),
  created AS (
    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, payload)
    SELECT w.id, e.event_id, e.event_type, e.payload FROM e JOIN webhooks w ON w.user_id = e.owner_id AND e.event_type = ANY(w.events)
    ON CONFLICT (webhook_id, event_id) DO NOTHING
    RETURNING id, event_id)
  SELECT id::text AS id, event_id::text AS event_id FROM created
  UNION
  SELECT d.id::text, d.event_id::text FROM e
    JOIN webhooks w ON w.user_id = e.owner_id
    JOIN webhook_deliveries d ON d.webhook_id = w.id AND d.event_id = e.event_id
   WHERE d.status = 'pending'`);
const FIND = statement(`
  SELECT d.id::text AS id, d.status, w.url, w.secret, d.event_type, d.event_id::text AS event_id, d.payload, d.created_at
    FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1`);
const MARK_DELIVERED = statement(`
  UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status_code = $2, last_error = NULL,
         delivered_at = now(), updated_at = now()
   WHERE id = $1 AND status = 'pending'`);
const MARK_FAILED = statement(`
  UPDATE webhook_deliveries SET attempts = attempts + 1, last_status_code = $2, last_error = $3,
         status = CASE WHEN $4 THEN 'dead' ELSE status END, updated_at = now()
   WHERE id = $1 AND status = 'pending'`);

type DeliveryRow = Omit<DeliveryToSend, 'eventType' | 'eventId' | 'createdAt'> & { event_type: string; event_id: string; created_at: Date };

@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Creates one pending delivery per webhook of each event's owner subscribed
   * to its type (idempotent per webhook and event), for many events in one
   * statement, and returns every still-pending delivery of those events, so a
   * re-run enqueues what a crashed run did not (the statement's snapshot, taken
   * before its insert, holds exactly those; the new ones come from RETURNING).
   */
  async createForEvents(events: readonly EventForDelivery[]): Promise<{ id: string; eventId: string }[]> {
    if (events.length === 0) return [];
    const rows = await this.sql.rows<{ id: string; event_id: string }>(CREATE_FOR_EVENTS, [
      JSON.stringify(events.map((event) => ({ owner_id: event.ownerId, event_id: event.eventId, event_type: event.type, payload: event.payload }))),
    ]);
    return rows.map((row) => ({ id: row.id, eventId: row.event_id }));
  }

  async find(id: string): Promise<DeliveryToSend | undefined> {
    const row = await this.sql.one<DeliveryRow>(FIND, [id]);
    return (
      row && {
        id: row.id,
        status: row.status,
        url: row.url,
        secret: row.secret,
        eventType: row.event_type,
        eventId: row.event_id,
        payload: row.payload,
        createdAt: row.created_at,
      }
    );
  }

  async markDelivered(id: string, statusCode: number): Promise<void> {
    await this.sql.execute(MARK_DELIVERED, [id, statusCode]);
  }

  /** Records a failed attempt; `dead` when it was the last one. */
  async markFailed(id: string, statusCode: number | null, error: string, dead: boolean): Promise<void> {
    await this.sql.execute(MARK_FAILED, [id, statusCode, error.slice(0, 2000), dead]);
  }
}
