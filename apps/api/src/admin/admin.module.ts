import { Module } from '@nestjs/common';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { AppConfig } from '@app/config';
import { ALL_QUEUES } from '@app/queue';
import { adminBasicAuth } from './admin-basic-auth';

/** The queue dashboard (bull-board) at /admin/queues, behind Basic auth with ADMIN_USERNAME / ADMIN_PASSWORD. */
@Module({
  imports: [
    BullBoardModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        route: '/admin/queues',
        adapter: ExpressAdapter,
        middleware: adminBasicAuth(config.admin),
        boardOptions: { uiConfig: { boardTitle: 'Conduit queues' } },
      }),
    }),
    BullBoardModule.forFeature(...ALL_QUEUES.map((name) => ({ name, adapter: BullMQAdapter }))),
  ],
})
export class AdminModule {}
