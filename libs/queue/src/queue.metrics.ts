import { Injectable, OnModuleInit } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { METRICS } from '@app/metrics';
import { withTimeout } from '@app/redis';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { Gauge, register } from 'prom-client';
import { ALL_QUEUES } from './queues';

const STATES = ['waiting', 'active', 'completed', 'failed', 'delayed'] as const;

/** Job counts per queue and state, read from Redis at scrape time (bounded, so a down Redis does not stall a scrape). */
@Injectable()
export class QueueMetrics implements OnModuleInit {
  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    const queues = ALL_QUEUES.map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    if (register.getSingleMetric(METRICS.queueJobs)) register.removeSingleMetric(METRICS.queueJobs);
    new Gauge({
      name: METRICS.queueJobs,
      help: 'Jobs per queue and state (waiting, active, completed, failed, delayed)',
      labelNames: ['queue', 'state'],
      async collect() {
        await Promise.all(
          queues.map(async (queue) => {
            const counts = await withTimeout(queue.getJobCounts(...STATES), 500, 'queue counts timed out').catch(() => undefined);
            if (!counts) return;
            for (const state of STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
          }),
        );
      },
    });
  }
}
