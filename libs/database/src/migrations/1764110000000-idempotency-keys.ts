import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The answers to requests sent with an Idempotency-Key (apps/api/src/http/idempotency), each
 * written in the transaction of the change it answers, so that neither exists without the other.
 * `scope` is whose key it is (`user:<id>`, or `anonymous`), `fingerprint` the SHA-256 of the
 * request (method, path and query, body), `response` its answer's body encrypted (it can hold a
 * token or a webhook's secret). Kept until `expires_at`; the worker prunes past it.
 */
export class IdempotencyKeys1764110000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764110000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE idempotency_keys (
        scope       varchar(32)  NOT NULL,
        key         varchar(255) NOT NULL,
        fingerprint bytea        NOT NULL,
        status      smallint     NOT NULL,
        response    bytea        NOT NULL,
        created_at  timestamptz  NOT NULL DEFAULT now(),
        expires_at  timestamptz  NOT NULL,
        PRIMARY KEY (scope, key)
      )`);
    await db.query(`CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE idempotency_keys`);
  }
}
