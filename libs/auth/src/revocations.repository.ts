import { Injectable } from '@nestjs/common';
import { Sql, statement, Tx } from '@app/database';

/** A revoked token (logout), or every token of a user below a generation (password change). */
export type Revocation =
  | { readonly kind: 'token'; readonly tokenId: string; readonly expiresAt: number }
  | { readonly kind: 'generations'; readonly userId: number; readonly minGeneration: number; readonly expiresAt: number };

/** A revocation as read back, with its row id (a bigint, as pg hands it out: text), to read on from. */
export interface StoredRevocation {
  readonly revocation: Revocation;
  readonly id: string;
}

/** Epoch milliseconds as a float8, which pg hands out as a number (numeric would come back a string). */
const EPOCH_MS = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

/** A second logout of the same token (two requests racing) leaves the one row. */
const REVOKE_TOKEN = statement(`
  INSERT INTO token_revocations (user_id, token_id, expires_at) VALUES ($1, $2, to_timestamp($3::float8 / 1000))
  ON CONFLICT (token_id) WHERE token_id IS NOT NULL DO NOTHING`);
/** Kept for a token lifetime ($3 seconds): every token issued before it has expired by then. */
const REVOKE_GENERATIONS = statement(`
  INSERT INTO token_revocations (user_id, min_generation, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))
  RETURNING ${EPOCH_MS('expires_at')} AS expires_at`);
/** Rows after id $1, and the rows $2 (ids skipped earlier: their transactions may commit late). */
const NEW_ROWS = statement(`
  SELECT id::text AS id, user_id, token_id, min_generation, ${EPOCH_MS('expires_at')} AS expires_at
    FROM token_revocations
   WHERE (id > $1::bigint OR id = ANY($2::bigint[])) AND expires_at > now()
   ORDER BY id`);

interface RevocationRow {
  id: string;
  user_id: number;
  token_id: string | null;
  min_generation: number | null;
  expires_at: number;
}

/** token_revocations: the durable record every instance's in-memory list is read from. */
@Injectable()
export class RevocationsRepository {
  constructor(private readonly sql: Sql) {}

  async revokeToken(userId: number, tokenId: string, expiresAt: number): Promise<Revocation> {
    await this.sql.execute(REVOKE_TOKEN, [userId, tokenId, expiresAt]);
    return { kind: 'token', tokenId, expiresAt };
  }

  /** In the caller's transaction: the one that moved the user's generation on. */
  async revokeGenerationsBelow(userId: number, minGeneration: number, lifetimeSeconds: number, tx: Tx): Promise<Revocation> {
    const row = await this.sql.one<{ expires_at: number }>(REVOKE_GENERATIONS, [userId, minGeneration, lifetimeSeconds], tx);
    return { kind: 'generations', userId, minGeneration, expiresAt: row!.expires_at };
  }

  /** Unexpired revocations with an id after `afterId` or among `ids`, by id. */
  async newRows(afterId: bigint, ids: readonly bigint[]): Promise<StoredRevocation[]> {
    const rows = await this.sql.rows<RevocationRow>(NEW_ROWS, [afterId.toString(), ids.map(String)]);
    return rows.map((row) => ({ revocation: revocationOf(row), id: row.id }));
  }
}

function revocationOf(row: RevocationRow): Revocation {
  return row.token_id !== null
    ? { kind: 'token', tokenId: row.token_id, expiresAt: row.expires_at }
    : { kind: 'generations', userId: row.user_id, minGeneration: row.min_generation!, expiresAt: row.expires_at };
}
