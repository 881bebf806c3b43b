import { InjectQueue, Processor } from '@nestjs/bullmq';
import { AppConfig } from '@app/config';
import { DomainEvent, eventOwnerId, EventJob, jobIds, NotificationFanoutJob, QUEUES, WebhookDeliveryJob, WORKER_OPTIONS } from '@app/queue';
import { Job, Queue } from 'bullmq';
import { InstrumentedProcessor } from '../jobs/instrumented-processor';
import { WebhookDeliveriesRepository } from '../webhooks/webhook-deliveries.repository';
import { NotificationsWriter } from './notifications-writer.repository';

/**
 * Turns each domain event into its effects: a notification for whoever it
 * concerns (a batched fan-out job for new articles) and one delivery per
 * matching webhook of the content's owner. Every step is idempotent.
 */
@Processor(QUEUES.events, WORKER_OPTIONS)
export class EventsProcessor extends InstrumentedProcessor<EventJob> {
  constructor(
    private readonly notifications: NotificationsWriter,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.notificationFanout) private readonly fanout: Queue<NotificationFanoutJob>,
    @InjectQueue(QUEUES.webhookDelivery) private readonly webhookDeliveries: Queue<WebhookDeliveryJob>,
  ) {
    super();
  }

  protected async handle(job: Job<EventJob>): Promise<void> {
    const { eventId, requestId, occurredAt } = job.data;
    const event = { type: job.data.type, payload: job.data.payload } as DomainEvent;
    await this.notify({ eventId, requestId, occurredAt }, event);
    const deliveryIds = await this.deliveries.createForEvent(eventOwnerId(event), eventId, event.type, event.payload);
    if (deliveryIds.length > 0) {
      await this.webhookDeliveries.addBulk(
        deliveryIds.map((deliveryId) => ({
          name: event.type,
          data: { deliveryId, requestId },
          opts: {
            jobId: jobIds.delivery(deliveryId),
            attempts: this.config.webhooks.maxAttempts,
            backoff: { type: 'exponential', delay: this.config.webhooks.backoffMs },
          },
        })),
      );
    }
  }

  private async notify(meta: { eventId: string; requestId?: string; occurredAt?: string }, event: DomainEvent): Promise<void> {
    const { eventId, occurredAt } = meta;
    switch (event.type) {
      case 'user.followed':
        return this.notifications.write({ eventId, occurredAt, type: 'follow', recipientId: event.payload.followeeId, actorId: event.payload.followerId });
      case 'article.favorited':
        if (event.payload.userId === event.payload.authorId) return;
        return this.notifications.write({ eventId, occurredAt, type: 'favorite', recipientId: event.payload.authorId, actorId: event.payload.userId, articleId: event.payload.articleId });
      case 'comment.created':
        if (event.payload.authorId === event.payload.articleAuthorId) return;
        return this.notifications.write({
          eventId,
          occurredAt,
          type: 'comment',
          recipientId: event.payload.articleAuthorId,
          actorId: event.payload.authorId,
          articleId: event.payload.articleId,
          commentId: event.payload.commentId,
        });
      case 'article.published': {
        // Followers are notified in batches by their own jobs, so a huge audience blocks nothing.
        const first: NotificationFanoutJob = { ...meta, articleId: event.payload.articleId, authorId: event.payload.authorId, afterFollowerId: 0 };
        await this.fanout.add('fanout', first, { jobId: jobIds.fanout(eventId, 0) });
        return;
      }
    }
  }
}
