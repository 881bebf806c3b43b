import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications are listed in the order their events happened (outbox event
 * id), not the order the worker, processing events in parallel, wrote them.
 */
export class NotificationsEventOrder1764070000000 implements MigrationInterface {
  name = 'NotificationsEventOrder1764070000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX notifications_recipient_event_idx ON notifications (recipient_id, event_id DESC, id DESC)`);
    await db.query(`DROP INDEX notifications_recipient_idx`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX notifications_recipient_idx ON notifications (recipient_id, id DESC)`);
    await db.query(`DROP INDEX notifications_recipient_event_idx`);
  }
}
