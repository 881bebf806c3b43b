import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { AppConfig } from '@app/config';
import { METRICS } from '@app/metrics';
import { IntermittentWarning } from '@app/redis';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { inSpan, SpanKind } from '@app/tracing';
import type { Job } from 'bullmq';
import { Counter, Histogram } from 'prom-client';

/**
 * Base of every consumer: times each job (in a span, when tracing is on), counts outcomes, and logs failures
 * with the id of the request that caused the job. A failed job keeps its error
 * in BullMQ (and is retried per its options). Runs WORKER_CONCURRENCY jobs at
 * once unless the subclass pins its own concurrency.
 */
export abstract class InstrumentedProcessor<T extends { requestId?: string; traceparent?: string }> extends WorkerHost implements OnApplicationBootstrap {
  protected readonly logger = new Logger(this.constructor.name);
  /** Jobs of this queue run in parallel per worker process; undefined: WORKER_CONCURRENCY. */
  protected readonly concurrency: number | undefined = undefined;

  @Inject(AppConfig) private readonly workerConfig: AppConfig;

  @InjectMetric(METRICS.jobDuration) private readonly duration: Histogram<string>;
  @InjectMetric(METRICS.jobsProcessed) private readonly processed: Counter<string>;

  protected abstract handle(job: Job<T>): Promise<unknown>;

  /** After the BullMQ worker exists (it is created during module init). */
  onApplicationBootstrap(): void | Promise<void> {
    this.worker.concurrency = this.concurrency ?? this.workerConfig.worker.concurrency;
    // Connection trouble (Redis down, a failover under way) is logged now and then, not printed
    // with a stack per retry; the worker reconnects and takes jobs again by itself.
    const warning = new IntermittentWarning(this.logger);
    this.worker.on('error', (error: Error) => warning.warn(`queue connection: ${error.message}`));
  }

  async process(job: Job<T>): Promise<unknown> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      // A job of one request continues its trace (a batch of events has one per event: events.processor.ts).
      const result = await inSpan(
        `job ${job.queueName}`,
        { traceparent: job.data.traceparent, kind: SpanKind.CONSUMER, attributes: { 'conduit.job_id': job.id ?? '' } },
        () => this.handle(job),
      );
      this.duration.observe({ queue: job.queueName, outcome: 'completed' }, seconds());
      this.processed.inc({ queue: job.queueName, outcome: 'completed' });
      return result;
    } catch (error) {
      this.duration.observe({ queue: job.queueName, outcome: 'failed' }, seconds());
      this.processed.inc({ queue: job.queueName, outcome: 'failed' });
      this.logger.warn({ msg: `job ${job.id} failed (attempt ${job.attemptsMade + 1})`, requestId: job.data.requestId, error: (error as Error).message });
      throw error;
    }
  }
}
