import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Token revocation (docs/security.md): what every API instance holds in memory so that the token
 * check needs no round trip, written here first so that it survives any instance and Redis.
 * - `users.token_generation`: tokens carry the generation they were issued in; a password change
 *   increments it, and a token of an older generation is revoked.
 * - `token_revocations`: one row per logout (`token_id`, the token's jti) or per password change
 *   (`min_generation`), kept until every token it can concern has expired (`expires_at`; the
 *   worker prunes past it). Instances read new rows by `created_at`.
 */
export class TokenRevocations1764100000000 implements MigrationInterface {
  name = 'TokenRevocations1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ADD COLUMN token_generation integer NOT NULL DEFAULT 0`);
    await db.query(`
      CREATE TABLE token_revocations (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id        integer     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_id       varchar(64),
        min_generation integer,
        expires_at     timestamptz NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT token_revocations_one_kind CHECK ((token_id IS NULL) <> (min_generation IS NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX token_revocations_token_unique ON token_revocations (token_id) WHERE token_id IS NOT NULL`);
    await db.query(`CREATE INDEX token_revocations_created_idx ON token_revocations (created_at)`);
    await db.query(`CREATE INDEX token_revocations_expires_idx ON token_revocations (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE token_revocations`);
    await db.query(`ALTER TABLE users DROP COLUMN token_generation`);
  }
}
