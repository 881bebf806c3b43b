import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

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

@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Creates one pending delivery per webhook of `ownerId` subscribed to the
   * event (idempotent per webhook and event) and returns the ids of all its
   * still-pending deliveries, so a re-run enqueues what a crashed run did not.
   */
  async createForEvent(ownerId: number, eventId: string, eventType: string, payload: unknown): Promise<string[]> {
    await this.db.query(
      `INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, payload)
       SELECT id, $2::bigint, $3::varchar, $4::jsonb FROM webhooks WHERE user_id = $1 AND $3::varchar = ANY(events)
       ON CONFLICT (webhook_id, event_id) DO NOTHING`,
      [ownerId, eventId, eventType, JSON.stringify(payload)],
    );
    const rows: { id: string }[] = await this.db.query(
      `SELECT d.id::text AS id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
        WHERE w.user_id = $1 AND d.event_id = $2 AND d.status = 'pending'`,
      [ownerId, eventId],
    );
    return rows.map((row) => row.id);
  }

  async find(id: string): Promise<DeliveryToSend | undefined> {
    const rows: (Omit<DeliveryToSend, 'eventType' | 'eventId' | 'createdAt'> & { event_type: string; event_id: string; created_at: Date })[] = await this.db.query(
      `SELECT d.id::text AS id, d.status, w.url, w.secret, d.event_type, d.event_id::text AS event_id, d.payload, d.created_at
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1`,
      [id],
    );
    const row = rows[0];
    return row && { id: row.id, status: row.status, url: row.url, secret: row.secret, eventType: row.event_type, eventId: row.event_id, payload: row.payload, createdAt: row.created_at };
  }

  async markDelivered(id: string, statusCode: number): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status_code = $2, last_error = NULL,
              delivered_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'pending'`,
      [id, statusCode],
    );
  }

  /** Records a failed attempt; `dead` when it was the last one. */
  async markFailed(id: string, statusCode: number | null, error: string, dead: boolean): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status_code = $2, last_error = $3,
              status = CASE WHEN $4 THEN 'dead' ELSE status END, updated_at = now()
        WHERE id = $1 AND status = 'pending'`,
      [id, statusCode, error.slice(0, 2000), dead],
    );
  }
}
