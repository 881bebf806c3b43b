import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { forbidden, notFound, unprocessable } from '@app/errors';
import { CursorPageQueryDto, PageCursors } from '@app/paging';
import { refusedTarget } from '@app/queue';
import { DeliveryView, WebhookView } from './webhook';
import { WebhooksRepository } from './webhooks.repository';

/** Enough for any integration; bounds the fan-out one event can cause. */
export const MAX_WEBHOOKS_PER_USER = 10;

@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly config: AppConfig,
    private readonly cursors: PageCursors,
  ) {}

  /** A URL the worker would refuse (a port other than 80/443, a special-purpose address) is refused now, with 422. */
  async create(userId: number, url: string, events: readonly string[]): Promise<WebhookView & { secret: string }> {
    const refused = refusedTarget(parseUrl(url), this.config.webhooks);
    if (refused !== undefined) throw unprocessable(`url ${refused.replace('target refused: ', 'refused: ')}`);
    if ((await this.webhooks.countByUser(userId)) >= MAX_WEBHOOKS_PER_USER) {
      throw unprocessable(`a user may register at most ${MAX_WEBHOOKS_PER_USER} webhooks`);
    }
    const secret = randomBytes(32).toString('hex');
    const webhook = await this.webhooks.create(userId, url, [...new Set(events)].sort(), secret);
    return { ...webhook, secret };
  }

  list(userId: number): Promise<WebhookView[]> {
    return this.webhooks.findByUser(userId);
  }

  async delete(userId: number, id: number): Promise<void> {
    await this.owned(userId, id);
    await this.webhooks.delete(id);
  }

  /** A page by `offset`, or after a cursor of this webhook's deliveries (`nextCursor` goes on). */
  async deliveries(userId: number, id: number, query: CursorPageQueryDto): Promise<{ deliveries: DeliveryView[]; nextCursor: string | null }> {
    await this.owned(userId, id);
    const list = `deliveries of webhook ${id}`;
    const afterId = this.cursors.after(list, query, ['string'])?.[0] as string | undefined;
    // One more than asked: whether a next page exists. Delivery ids fit a double exactly (the position keeps them as text all the same).
    const rows = await this.webhooks.findDeliveries(id, { limit: query.limit + 1, offset: query.offset, afterId });
    const { items, nextCursor } = this.cursors.page(list, rows, query.limit, (delivery) => [String(delivery.id)]);
    return { deliveries: items, nextCursor };
  }

  private async owned(userId: number, id: number): Promise<void> {
    const ownerId = await this.webhooks.findOwnerId(id);
    if (ownerId === undefined) throw notFound(`webhook ${id} not found`);
    if (ownerId !== userId) throw forbidden('this webhook belongs to another user');
  }
}

function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw unprocessable('url must be an http or https URL');
  }
}
