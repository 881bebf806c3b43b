import { Module } from '@nestjs/common';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { LoggingModule } from '@app/logging';
import { MetricsModule } from '@app/metrics';
import { QueueModule } from '@app/queue';
import { RedisModule } from '@app/redis';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { EventsProcessor } from './notifications/events.processor';
import { NotificationFanoutProcessor } from './notifications/notification-fanout.processor';
import { NotificationsWriter } from './notifications/notifications-writer.repository';
import { OutboxRelay } from './outbox/outbox-relay.service';
import { OutboxRepository } from './outbox/outbox.repository';
import { RetentionRepository } from './maintenance/retention.repository';
import { WebhookDeliveriesRepository } from './webhooks/webhook-deliveries.repository';
import { WebhookDeliveryProcessor } from './webhooks/webhook-delivery.processor';

/**
 * The background worker: its own process, sharing config, database, Redis,
 * queue contract and metrics libs with the API. It relays the outbox and
 * consumes every queue.
 */
@Module({
  imports: [ConfigModule, LoggingModule, DatabaseModule, RedisModule, MetricsModule, QueueModule.forRoot()],
  providers: [
    OutboxRelay,
    OutboxRepository,
    RetentionRepository,
    NotificationsWriter,
    WebhookDeliveriesRepository,
    EventsProcessor,
    NotificationFanoutProcessor,
    WebhookDeliveryProcessor,
    MaintenanceProcessor,
  ],
})
export class WorkerModule {}
