import { Module } from '@nestjs/common';
import { PageCursors } from '@app/paging';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/** Registering webhooks and reading their delivery history; the worker delivers (apps/worker/src/webhooks). */
@Module({
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhooksRepository, PageCursors],
})
export class WebhooksModule {}
