import { InjectQueue, Processor } from '@nestjs/bullmq';
import { AppConfig } from '@app/config';
import { MaintenanceJob, QUEUES, WORKER_OPTIONS } from '@app/queue';
import { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { InstrumentedProcessor } from '../jobs/instrumented-processor';

/** Deletes in slices so no single statement holds locks on many rows. */
const SLICE = 5000;

/**
 * Periodic pruning, run by a BullMQ job scheduler (one schedule for all worker
 * instances): read notifications, webhook delivery logs and relayed outbox
 * events past their retention. These tables only grow otherwise, and the
 * hot queries (unread counts, pending outbox) stay fast on small tables.
 */
@Processor(QUEUES.maintenance, WORKER_OPTIONS)
export class MaintenanceProcessor extends InstrumentedProcessor<MaintenanceJob> {
  /** One pruning run at a time is plenty, and keeps deletes from competing with each other. */
  protected override readonly concurrency = 1;

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue<MaintenanceJob>,
  ) {
    super();
  }

  override async onApplicationBootstrap(): Promise<void> {
    super.onApplicationBootstrap();
    await this.queue.upsertJobScheduler('prune-old-records', { every: this.config.worker.maintenanceIntervalMs }, { name: 'prune', data: {} });
  }

  protected async handle(_job: Job<MaintenanceJob>): Promise<Record<string, number>> {
    const { notifications, webhookDeliveries, outbox } = this.config.retentionDays;
    return {
      notifications: await this.prune('notifications', `read_at IS NOT NULL AND created_at < now() - make_interval(days => $1)`, notifications),
      webhookDeliveries: await this.prune('webhook_deliveries', `status <> 'pending' AND created_at < now() - make_interval(days => $1)`, webhookDeliveries),
      outboxEvents: await this.prune('outbox_events', `relayed_at < now() - make_interval(days => $1)`, outbox),
    };
  }

  private async prune(table: string, condition: string, days: number): Promise<number> {
    let total = 0;
    for (;;) {
      const result: [unknown[], number] = await this.db.query(
        `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${condition} LIMIT ${SLICE})`,
        [days],
      );
      total += result[1];
      if (result[1] < SLICE) return total;
    }
  }
}
