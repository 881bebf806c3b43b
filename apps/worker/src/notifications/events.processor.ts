import { InjectQueue, Processor } from '@nestjs/bullmq';
import { AppConfig } from '@app/config';
import { DomainEvent, EventBatchJob, eventOwnerId, EventJob, jobIds, NotificationFanoutJob, QUEUES, WebhookDeliveryJob, WORKER_OPTIONS } from '@app/queue';
import { currentTraceparent, inSpan, SpanKind } from '@app/tracing';
import { Job, Queue } from 'bullmq';
import { InstrumentedProcessor } from '../jobs/instrumented-processor';
import { WebhookDeliveriesRepository } from '../webhooks/webhook-deliveries.repository';
import { NotificationsWriter } from './notifications-writer.repository';

/**
 * Turns domain events into their effects: a notification for whoever each
 * concerns (for a new article, every follower: the first batch here, the rest
 * in fan-out jobs) and one delivery per matching webhook of the content's
 * owner. A job holds a relay pass's events (EVENTS_PER_JOB at most): the
 * deliveries of all of them are one statement, and an event whose
 * notification fails is moved to a job of its own, retried with backoff,
 * while the others complete. Every step is idempotent per event.
 */
@Processor(QUEUES.events, WORKER_OPTIONS)
export class EventsProcessor extends InstrumentedProcessor<EventBatchJob> {
  constructor(
    private readonly notifications: NotificationsWriter,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.events) private readonly events: Queue<EventBatchJob>,
    @InjectQueue(QUEUES.notificationFanout) private readonly fanout: Queue<NotificationFanoutJob>,
    @InjectQueue(QUEUES.webhookDelivery) private readonly webhookDeliveries: Queue<WebhookDeliveryJob>,
  ) {
    super();
  }

  protected async handle(job: Job<EventBatchJob>): Promise<{ events: number; retriedAlone: string[] }> {
    const { events } = job.data;
    await this.createDeliveries(events);
    const failed: { event: EventJob; error: unknown }[] = [];
    for (const event of events) {
      try {
        // Each event's effects in the trace of the request that caused it.
        await inSpan(
          `event ${event.type}`,
          { traceparent: event.traceparent, kind: SpanKind.CONSUMER, attributes: { 'conduit.event_id': event.eventId } },
          () => this.notify(event),
        );
      } catch (error) {
        failed.push({ event, error });
      }
    }
    // A lone event, or a batch where nothing worked (the database is away): retry the job as it is.
    if (failed.length > 0 && (events.length === 1 || failed.length === events.length)) throw failed[0].error;
    if (failed.length > 0) {
      await this.events.addBulk(
        failed.map(({ event }) => ({ name: 'events', data: { events: [event], requestId: event.requestId }, opts: { jobId: jobIds.event(event.eventId) } })),
      );
      this.logger.warn({
        msg: `${failed.length} of ${events.length} events of job ${job.id} failed; each is retried in a job of its own`,
        error: (failed[0].error as Error).message,
      });
    }
    return { events: events.length, retriedAlone: failed.map(({ event }) => event.eventId) };
  }

  private async createDeliveries(events: readonly EventJob[]): Promise<void> {
    const created = await this.deliveries.createForEvents(
      events.map((event) => ({ ownerId: eventOwnerId(asDomainEvent(event)), eventId: event.eventId, type: event.type, payload: event.payload })),
    );
    if (created.length === 0) return;
    const byId = new Map(events.map((event) => [event.eventId, event]));
    await this.webhookDeliveries.addBulk(
      created.map(({ id, eventId }) => ({
        name: byId.get(eventId)?.type ?? 'delivery',
        data: { deliveryId: id, requestId: byId.get(eventId)?.requestId, traceparent: byId.get(eventId)?.traceparent },
        opts: {
          jobId: jobIds.delivery(id),
          attempts: this.config.webhooks.maxAttempts,
          backoff: { type: 'exponential', delay: this.config.webhooks.backoffMs },
        },
      })),
    );
  }

  private async notify(job: EventJob): Promise<void> {
    const { eventId, occurredAt } = job;
    const event = asDomainEvent(job);
    switch (event.type) {
      case 'user.followed':
        return this.notifications.write({ eventId, occurredAt, type: 'follow', recipientId: event.payload.followeeId, actorId: event.payload.followerId });
      case 'article.favorited':
        if (event.payload.userId === event.payload.authorId) return;
        return this.notifications.write({
          eventId,
          occurredAt,
          type: 'favorite',
          recipientId: event.payload.authorId,
          actorId: event.payload.userId,
          articleId: event.payload.articleId,
        });
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
        // The first batch of followers here; each further batch is a job of its own, so a huge
        // audience blocks nothing (and most authors' audience fits one batch: no extra job).
        const { articleId, authorId } = event.payload;
        const last = await this.notifications.writeArticleBatch(eventId, articleId, authorId, 0, this.config.worker.fanoutBatchSize, occurredAt);
        if (last !== undefined) {
          const next: NotificationFanoutJob = {
            eventId,
            requestId: job.requestId,
            traceparent: currentTraceparent(),
            occurredAt,
            articleId,
            authorId,
            afterFollowerId: last,
          };
          await this.fanout.add('fanout', next, { jobId: jobIds.fanout(eventId, last) });
        }
        return;
      }
    }
  }
}

function asDomainEvent(job: EventJob): DomainEvent {
  return { type: job.type, payload: job.payload } as DomainEvent;
}
