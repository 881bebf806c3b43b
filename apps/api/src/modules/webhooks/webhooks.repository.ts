import { Injectable } from '@nestjs/common';
import { Sql, statement } from '@app/database';
import { Page } from '@app/paging';
import { DeliveryView, WebhookView } from './webhook';

const WEBHOOK_COLUMNS = 'id, url, events, created_at';
const INSERT = statement(`INSERT INTO webhooks (user_id, url, events, secret) VALUES ($1, $2, $3, $4) RETURNING ${WEBHOOK_COLUMNS}`);
const COUNT_BY_USER = statement('SELECT count(*)::int AS count FROM webhooks WHERE user_id = $1');
const BY_USER = statement(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE user_id = $1 ORDER BY id DESC`);
const OWNER = statement('SELECT user_id FROM webhooks WHERE id = $1');
const DELETE = statement('DELETE FROM webhooks WHERE id = $1');
const DELIVERIES = statement(`
  SELECT id::text AS id, event_type, status, attempts, last_status_code, last_error, created_at, updated_at, delivered_at
    FROM webhook_deliveries WHERE webhook_id = $1 AND ($4::bigint IS NULL OR id < $4::bigint) ORDER BY id DESC LIMIT $2 OFFSET $3`);

interface DeliveryRow {
  id: string;
  event_type: string;
  status: DeliveryView['status'];
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  delivered_at: Date | null;
}

interface WebhookRow {
  id: number;
  url: string;
  events: string[];
  created_at: Date;
}

@Injectable()
export class WebhooksRepository {
  constructor(private readonly sql: Sql) {}

  async create(userId: number, url: string, events: readonly string[], secret: string): Promise<WebhookView> {
    return toWebhook((await this.sql.one<WebhookRow>(INSERT, [userId, url, events, secret]))!);
  }

  async countByUser(userId: number): Promise<number> {
    return (await this.sql.one<{ count: number }>(COUNT_BY_USER, [userId]))!.count;
  }

  async findByUser(userId: number): Promise<WebhookView[]> {
    return (await this.sql.rows<WebhookRow>(BY_USER, [userId])).map(toWebhook);
  }

  /** The owner of a webhook, or undefined when it does not exist. */
  async findOwnerId(id: number): Promise<number | undefined> {
    return (await this.sql.one<{ user_id: number }>(OWNER, [id]))?.user_id;
  }

  async delete(id: number): Promise<void> {
    await this.sql.execute(DELETE, [id]);
  }

  /** Newest first: `limit` after `offset`, or after the delivery `afterId` (a bigint, as text). */
  async findDeliveries(webhookId: number, page: Page & { afterId?: string }): Promise<DeliveryView[]> {
    const rows = await this.sql.rows<DeliveryRow>(DELIVERIES, [webhookId, page.limit, page.offset, page.afterId ?? null]);
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
