import { Injectable, OnModuleInit } from '@nestjs/common';
import { Gauge, register } from 'prom-client';
import { DataSource } from 'typeorm';
import { METRICS } from './metric-names';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** PostgreSQL pool usage (total, idle, waiting clients), read from the pool at scrape time. */
@Injectable()
export class DbPoolMetrics implements OnModuleInit {
  constructor(private readonly db: DataSource) {}

  onModuleInit(): void {
    const db = this.db;
    if (register.getSingleMetric(METRICS.dbPool)) register.removeSingleMetric(METRICS.dbPool);
    new Gauge({
      name: METRICS.dbPool,
      help: 'PostgreSQL pool connections by state (total, idle, waiting)',
      labelNames: ['state'],
      collect() {
        const pool = (db.driver as unknown as { master?: PgPool }).master;
        if (!pool) return;
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }
}
