import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient, QueryConfig, QueryResult } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { throwIfCommitNotReplicated, watchSynchronousCommits } from './synchronous-commit';
import { ambientTransaction } from './request-transaction';
import type { Tx } from './transaction';

/**
 * THE data-access rule of this codebase (docs/conventions.md): SQL lives in
 * repositories only, as `statement(...)` constants (or texts composed from
 * shared fragments, never edited by string replacement), run through `Sql`.
 * TypeORM provides the connection pool, migrations and transactions
 * (`Transactions`); there are no entities and no query builder.
 *
 * One SQL statement with a stable name. PostgreSQL parses and plans a named
 * statement once per connection and then only executes it (planning costs as
 * much as executing for the hot reads), so the hot paths' SQL is written as
 * `statement(...)` constants. Write each so that one plan is right for every
 * parameter value: after a few executions PostgreSQL may keep a generic plan.
 */
export class Statement {
  /** Undefined for a statement that is not prepared (transaction control: SAVEPOINT and the like). */
  readonly name: string | undefined;

  constructor(
    readonly text: string,
    prepared = true,
  ) {
    this.name = prepared ? `conduit_${createHash('sha1').update(text).digest('hex').slice(0, 20)}` : undefined;
  }
}

const memo = new Map<string, Statement>();

/**
 * A statement run as it is, never prepared: transaction control (SAVEPOINT, RELEASE, ROLLBACK TO),
 * and texts planned for values they embed (a search's words), which are never kept.
 */
export function unprepared(text: string): Statement {
  return new Statement(text, false);
}

/** The statement for this SQL text (made once, so texts built from a filter's shape can be prepared too). */
export function statement(text: string): Statement {
  let made = memo.get(text);
  if (made === undefined) {
    made = new Statement(text);
    memo.set(text, made);
  }
  return made;
}

/**
 * Runs prepared statements on the data source's pool, or on the connection of
 * the caller's transaction. Straight to the pg driver: rows come back as pg
 * parses them, and errors are pg's own (`@app/errors` maps both these and
 * TypeORM's).
 */
@Injectable()
export class Sql {
  private readonly pool: Pool;
  /**
   * Whether statements are prepared under their names. Not behind a transaction pooler: a named
   * statement lives on one server connection, and the next transaction may run on another (which
   * then answers "prepared statement does not exist"); PgBouncer tracks them only from 1.21 on.
   */
  private readonly named: boolean;

  constructor(@InjectDataSource() db: DataSource, config: AppConfig) {
    this.pool = (db.driver as PostgresDriver).master as Pool;
    this.named = config.databasePooling !== 'transaction';
  }

  async rows<T>(query: Statement, params: readonly unknown[], tx?: Tx): Promise<T[]> {
    return (await this.run(query, params, tx)).rows as T[];
  }

  async one<T>(query: Statement, params: readonly unknown[], tx?: Tx): Promise<T | undefined> {
    return (await this.rows<T>(query, params, tx))[0];
  }

  /** Resolves when PostgreSQL answers (a start-up check). */
  async ping(): Promise<void> {
    await this.rows(PING, []);
  }

  /** Runs a statement for its effect; resolves with the number of rows it changed. */
  async execute(query: Statement, params: readonly unknown[], tx?: Tx): Promise<number> {
    return (await this.run(query, params, tx)).rowCount ?? 0;
  }

  /**
   * On a connection of the pool (a statement is its own transaction: its commit must have reached
   * the synchronous standby, see synchronous-commit.ts), or on the connection of the caller's
   * transaction or the ambient one (request-transaction.ts; Transactions checks its commit).
   */
  private async run(query: Statement, params: readonly unknown[], given: Tx | undefined): Promise<QueryResult> {
    const config: QueryConfig = { name: this.named ? query.name : undefined, text: query.text, values: params as unknown[] };
    const tx = given ?? ambientTransaction();
    if (tx !== undefined) return (await connectionOf(tx)).query(config);
    const client = watchSynchronousCommits(await this.pool.connect());
    // A checked-out client that loses its connection emits 'error' (besides failing the query):
    // unheard, that would end the process. Released with it, the client leaves the pool.
    let lost: Error | undefined;
    const onError = (error: Error) => (lost = error);
    client.on('error', onError);
    try {
      const result = await client.query(config);
      throwIfCommitNotReplicated(client);
      return result;
    } finally {
      client.removeListener('error', onError);
      client.release(lost);
    }
  }
}

const PING = statement('SELECT 1');

/** The pg connection a TypeORM transaction runs on. */
function connectionOf(tx: Tx): Promise<PoolClient> {
  const runner = tx.queryRunner as PostgresQueryRunner | undefined;
  if (runner === undefined) throw new Error('Sql: the transaction has no query runner');
  return runner.connect() as Promise<PoolClient>;
}
