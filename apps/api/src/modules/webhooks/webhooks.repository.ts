import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Page } from '@app/paging';
import { DataSource } from 'typeorm';
import { DeliveryView, WebhookView } from './webhook';

interface WebhookRow {
  id: number;
  url: string;
  events: string[];
  created_at: Date;
}

@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(userId: number, url: string, events: readonly string[], secret: string): Promise<WebhookView> {
    const [row]: WebhookRow[] = await this.db.query(
      'INSERT INTO webhooks (user_id, url, events, secret) VALUES ($1, $2, $3, $4) RETURNING id, url, events, created_at',
      [userId, url, events, secret],
    );
    return toWebhook(row);
  }

  async countByUser(userId: number): Promise<number> {
    const [row]: { count: number }[] = await this.db.query('SELECT count(*)::int AS count FROM webhooks WHERE user_id = $1', [userId]);
    return row.count;
  }

  async findByUser(userId: number): Promise<WebhookView[]> {
    const rows: WebhookRow[] = await this.db.query('SELECT id, url, events, created_at FROM webhooks WHERE user_id = $1 ORDER BY id DESC', [userId]);
    return rows.map(toWebhook);
  }

  /** The owner of a webhook, or undefined when it does not exist. */
  async findOwnerId(id: number): Promise<number | undefined> {
    const rows: { user_id: number }[] = await this.db.query('SELECT user_id FROM webhooks WHERE id = $1', [id]);
    return rows[0]?.user_id;
  }

  async delete(id: number): Promise<void> {
    await this.db.query('DELETE FROM webhooks WHERE id = $1', [id]);
  }

  async findDeliveries(webhookId: number, page: Page): Promise<DeliveryView[]> {
    const rows: {
      id: string;
      event_type: string;
      status: DeliveryView['status'];
      attempts: number;
      last_status_code: number | null;
      last_error: string | null;
      created_at: Date;
      updated_at: Date;
      delivered_at: Date | null;
    }[] = await this.db.query(
      `SELECT id::text AS id, event_type, status, attempts, last_status_code, last_error, created_at, updated_at, delivered_at
         FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3`,
      [webhookId, page.limit, page.offset],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      event: row.event_type,
      status: row.status,
      attempts: row.attempts,
      lastStatusCode: row.last_status_code,
      lastError: row.last_error,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      deliveredAt: row.delivered_at?.toISOString() ?? null,
    }));
  }
}

function toWebhook(row: WebhookRow): WebhookView {
  return { id: row.id, url: row.url, events: row.events, createdAt: row.created_at.toISOString() };
}
