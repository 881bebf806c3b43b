import { Injectable, OnModuleInit } from '@nestjs/common';
import { Sql, statement } from '@app/database';
import { METRICS } from '@app/metrics';
import { Gauge, register } from 'prom-client';

const BACKLOG = statement(`
  SELECT count(*)::int AS pending, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float AS lag
    FROM outbox_events WHERE relayed_at IS NULL`);

/** How far the relay is behind: pending outbox events and the age of the oldest one. */
@Injectable()
export class OutboxMetrics implements OnModuleInit {
  constructor(private readonly sql: Sql) {}

  onModuleInit(): void {
    const sql = this.sql;
    // Both gauges come from one statement: the first collect of a scrape runs it, the other reuses it.
    let last: { at: number; row: Promise<{ pending: number; lag: number }> } | undefined;
    const read = () => {
      if (last === undefined || Date.now() - last.at > 1000) {
        const row = sql.one<{ pending: number; lag: number }>(BACKLOG, []).then((found) => found!);
        last = { at: Date.now(), row };
      }
      return last.row;
    };
    for (const name of [METRICS.outboxPending, METRICS.outboxLag]) if (register.getSingleMetric(name)) register.removeSingleMetric(name);
    new Gauge({
      name: METRICS.outboxPending,
      help: 'Outbox events not yet relayed to the queue',
      async collect() {
        this.set((await read().catch(() => ({ pending: 0 }))).pending);
      },
    });
    new Gauge({
      name: METRICS.outboxLag,
      help: 'Age in seconds of the oldest outbox event not yet relayed (0 when none)',
      async collect() {
        this.set((await read().catch(() => ({ lag: 0 }))).lag);
      },
    });
  }
}
