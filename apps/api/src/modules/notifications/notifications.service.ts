import { Injectable } from '@nestjs/common';
import { CursorPageQueryDto, PageCursors } from '@app/paging';
import { NotificationView } from './notification';
import { NotificationsRepository } from './notifications.repository';

export interface NotificationList {
  readonly notifications: NotificationView[];
  readonly notificationsCount: number;
  readonly unreadCount: number;
  readonly nextCursor: string | null;
}

@Injectable()
export class NotificationsService {
  constructor(
    private readonly notifications: NotificationsRepository,
    private readonly cursors: PageCursors,
  ) {}

  /** A page by `offset`, or after a cursor of this user's notifications (`nextCursor` goes on). */
  async list(userId: number, query: CursorPageQueryDto): Promise<NotificationList> {
    const list = `notifications of user ${userId}`;
    const after = this.cursors.after(list, query, ['string', 'string']);
    // One more than asked: whether a next page exists.
    const { notifications, total, unread } = await this.notifications.findPageWithCounts(userId, {
      limit: query.limit + 1,
      offset: query.offset,
      after: after && { eventId: after[0] as string, id: after[1] as string },
    });
    const { items, nextCursor } = this.cursors.page(list, notifications, query.limit, (row) => [row.position.eventId, row.position.id]);
    return { notifications: items.map((row) => row.notification), notificationsCount: total, unreadCount: unread, nextCursor };
  }

  async markRead(userId: number, ids: readonly number[] | undefined): Promise<number> {
    await this.notifications.markRead(userId, ids);
    return (await this.notifications.counts(userId)).unread;
  }
}
