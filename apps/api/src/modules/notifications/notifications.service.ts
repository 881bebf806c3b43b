import { Injectable } from '@nestjs/common';
import { Page } from '@app/paging';
import { NotificationView } from './notification';
import { NotificationsRepository } from './notifications.repository';

export interface NotificationList {
  readonly notifications: NotificationView[];
  readonly notificationsCount: number;
  readonly unreadCount: number;
}

@Injectable()
export class NotificationsService {
  constructor(private readonly notifications: NotificationsRepository) {}

  async list(userId: number, page: Page): Promise<NotificationList> {
    const { notifications, total, unread } = await this.notifications.findPageWithCounts(userId, page);
    return { notifications, notificationsCount: total, unreadCount: unread };
  }

  async markRead(userId: number, ids: readonly number[] | undefined): Promise<number> {
    await this.notifications.markRead(userId, ids);
    return (await this.notifications.counts(userId)).unread;
  }
}
