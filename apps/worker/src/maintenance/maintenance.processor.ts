import { InjectQueue, Processor } from '@nestjs/bullmq';
import { AppConfig } from '@app/config';
import { MaintenanceJob, QUEUES, WORKER_OPTIONS } from '@app/queue';
import { Job, Queue } from 'bullmq';
import { InstrumentedProcessor } from '../jobs/instrumented-processor';
import { RetentionRepository } from './retention.repository';

/**
 * Periodic pruning, run by a BullMQ job scheduler (one schedule for all worker
 * instances): read notifications, webhook delivery logs and relayed outbox
 * events past their retention, token revocations past their tokens' expiry, and Idempotency-Key answers past theirs. These tables only grow otherwise, and the
 * hot queries (unread counts, pending outbox) stay fast on small tables.
 */
@Processor(QUEUES.maintenance, WORKER_OPTIONS)
export class MaintenanceProcessor extends InstrumentedProcessor<MaintenanceJob> {
  /** One pruning run at a time is plenty, and keeps deletes from competing with each other. */
  protected override readonly concurrency = 1;

  constructor(
    private readonly retention: RetentionRepository,
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue<MaintenanceJob>,
  ) {
    super();
  }

  override async onApplicationBootstrap(): Promise<void> {
    await super.onApplicationBootstrap();
    await this.queue.upsertJobScheduler('prune-old-records', { every: this.config.worker.maintenanceIntervalMs }, { name: 'prune', data: {} });
  }

  protected async handle(_job: Job<MaintenanceJob>): Promise<Record<string, number>> {
    const { notifications, webhookDeliveries, outbox } = this.config.retentionDays;
    return {
      notifications: await this.retention.prune('notifications', notifications),
      webhookDeliveries: await this.retention.prune('webhookDeliveries', webhookDeliveries),
      outboxEvents: await this.retention.prune('outboxEvents', outbox),
      tokenRevocations: await this.retention.pruneExpiredRevocations(),
      idempotencyKeys: await this.retention.pruneExpiredIdempotencyKeys(),
    };
  }
}
