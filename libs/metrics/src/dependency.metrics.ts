import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Sql } from '@app/database';
import { REDIS_CLIENT, RedisClient, withTimeout } from '@app/redis';
import { Gauge, register } from 'prom-client';
import { METRICS } from './metric-names';

/** Longest a probe may take at scrape time (well inside a 1 s scrape timeout); a dependency that has not answered by then counts as down. */
const PROBE_TIMEOUT_MS = 500;

/**
 * Whether this process reaches PostgreSQL (through its pool, pooler included) and Redis, probed
 * at scrape time: 1 up, 0 down. What the outage alerts watch (docker/prometheus/alerts.yml): each
 * instance says what it can reach, so a partitioned instance and a failover both show.
 */
@Injectable()
export class DependencyMetrics implements OnModuleInit {
  constructor(
    private readonly sql: Sql,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
  ) {}

  onModuleInit(): void {
    const probes: Record<string, () => Promise<unknown>> = { database: () => this.sql.ping(), redis: () => this.redis.ping() };
    if (register.getSingleMetric(METRICS.dependencyUp)) register.removeSingleMetric(METRICS.dependencyUp);
    new Gauge({
      name: METRICS.dependencyUp,
      help: 'Whether this process reaches the dependency (1) or not (0), probed at scrape time',
      labelNames: ['dependency'],
      async collect() {
        await Promise.all(
          Object.entries(probes).map(async ([dependency, probe]) => {
            const up = await withTimeout(probe(), PROBE_TIMEOUT_MS, 'no answer').then(
              () => 1,
              () => 0,
            );
            this.set({ dependency }, up);
          }),
        );
      },
    });
  }
}
