import { InjectQueue, Processor } from '@nestjs/bullmq';
import { AppConfig } from '@app/config';
import { jobIds, NotificationFanoutJob, QUEUES, WORKER_OPTIONS } from '@app/queue';
import { Job, Queue } from 'bullmq';
import { InstrumentedProcessor } from '../jobs/instrumented-processor';
import { NotificationsWriter } from './notifications-writer.repository';

/** The batches of followers after the first (which the event's own job writes): one per job, the next its own job (deterministic id, so re-runs do not fork the chain). */
@Processor(QUEUES.notificationFanout, WORKER_OPTIONS)
export class NotificationFanoutProcessor extends InstrumentedProcessor<NotificationFanoutJob> {
  constructor(
    private readonly notifications: NotificationsWriter,
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.notificationFanout) private readonly fanout: Queue<NotificationFanoutJob>,
  ) {
    super();
  }

  protected async handle(job: Job<NotificationFanoutJob>): Promise<{ lastFollowerId?: number }> {
    const { eventId, articleId, authorId, afterFollowerId, occurredAt } = job.data;
    const last = await this.notifications.writeArticleBatch(eventId, articleId, authorId, afterFollowerId, this.config.worker.fanoutBatchSize, occurredAt);
    if (last !== undefined) {
      await this.fanout.add('fanout', { ...job.data, afterFollowerId: last }, { jobId: jobIds.fanout(eventId, last) });
    }
    return { lastFollowerId: last };
  }
}
