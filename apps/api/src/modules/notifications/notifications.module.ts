import { Module } from '@nestjs/common';
import { PageCursors } from '@app/paging';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

/** Reading and acknowledging notifications; the worker writes them (apps/worker/src/notifications). */
@Module({
  controllers: [NotificationsController],
  providers: [NotificationsService, NotificationsRepository, PageCursors],
})
export class NotificationsModule {}
