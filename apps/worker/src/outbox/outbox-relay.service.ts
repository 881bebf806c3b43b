import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { AppConfig } from '@app/config';
import { EventBatchJob, EventJob, EVENTS_PER_JOB, jobIds, QUEUES, queuePrefix, queueRedisConnection } from '@app/queue';
import { waitForReplicas, withTimeout } from '@app/redis';
import { Transactions } from '@app/database';
import { Queue } from 'bullmq';
import { OutboxRepository } from './outbox.repository';

const BATCH_SIZE = 500;
/** Longest a relay pass may wait on Redis; then the events stay pending and the next pass retries. */
const ENQUEUE_TIMEOUT_MS = 2000;
/** Longest a relay pass waits for Redis replicas to hold its jobs (REDIS_JOB_REPLICAS). */
const REPLICA_WAIT_MS = 1000;

/**
 * Moves committed outbox events to the `events` queue, EVENTS_PER_JOB per job.
 * Rows are locked with SKIP LOCKED (several workers relay in parallel without
 * overlap) and marked relayed only after the queue accepted them and, with
 * REDIS_JOB_REPLICAS, after that many Redis replicas hold them too (WAIT), in
 * the same transaction. If Redis is down, or its replicas do not confirm in
 * time, the transaction rolls back and the events are relayed again: nothing
 * is lost, also when Redis fails over to a replica that had not yet received
 * the jobs. Job ids are derived from event ids, so a pass that is repeated
 * queues its jobs once while they are kept; should a repeat queue an event
 * again, every consumer is idempotent per event.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** Why the last pass failed, while passes fail: each new reason is logged once. */
  private failure: string | undefined;

  constructor(
    private readonly transactions: Transactions,
    private readonly outbox: OutboxRepository,
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.events) private readonly events: Queue<EventBatchJob>,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Relays until nothing is pending; returns how many events it moved. */
  async relayPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = await this.relayBatch();
      total += moved;
      if (moved < BATCH_SIZE || this.stopped) return total;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.relayPending()
        .then(() => {
          if (this.failure !== undefined) this.logger.log('relay recovered');
          this.failure = undefined;
        })
        .catch((error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          if (reason !== this.failure) this.logger.warn(`relay failed, will retry: ${reason}`);
          this.failure = reason;
        })
        .finally(() => this.schedule(this.config.worker.outboxPollIntervalMs));
    }, delayMs);
  }

  private relayBatch(): Promise<number> {
    return this.transactions.run(async (tx) => {
      const rows = await this.outbox.claimBatch(tx, BATCH_SIZE);
      if (rows.length === 0) return 0;
      const events = rows.map(
        (row) =>
          ({
            eventId: row.id,
            type: row.type,
            payload: row.payload,
            requestId: row.request_id ?? undefined,
            traceparent: row.traceparent ?? undefined,
            occurredAt: row.created_at.toISOString(),
          }) as EventJob,
      );
      const jobs = [];
      for (let from = 0; from < events.length; from += EVENTS_PER_JOB) {
        const batch = events.slice(from, from + EVENTS_PER_JOB);
        jobs.push({ name: 'events', data: { events: batch }, opts: { jobId: jobIds.events(batch[0].eventId, batch[batch.length - 1].eventId) } });
      }
      await withTimeout(this.events.addBulk(jobs), ENQUEUE_TIMEOUT_MS, `queue did not answer within ${ENQUEUE_TIMEOUT_MS} ms`);
      // On the connection that added them: WAIT counts that connection's writes. Bounded as a whole:
      // while the connection is away, the command waits in its queue.
      const replicas = waitForReplicas(
        await queueRedisConnection(this.events),
        queuePrefix(this.config, QUEUES.events),
        this.config.redis.jobReplicas,
        REPLICA_WAIT_MS,
      );
      await withTimeout(replicas, REPLICA_WAIT_MS + ENQUEUE_TIMEOUT_MS, `no Redis replica answered within ${REPLICA_WAIT_MS + ENQUEUE_TIMEOUT_MS} ms`);
      await this.outbox.markRelayed(
        tx,
        rows.map((row) => row.id),
      );
      return rows.length;
    });
  }
}
