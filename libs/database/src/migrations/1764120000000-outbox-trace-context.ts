import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each event keeps the trace context of the request that recorded it, so its jobs continue that trace. */
export class OutboxTraceContext1764120000000 implements MigrationInterface {
  name = 'OutboxTraceContext1764120000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbox_events ADD COLUMN traceparent text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbox_events DROP COLUMN traceparent`);
  }
}
