import { AppConfig } from '@app/config';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import { MIGRATIONS } from './migrations';

/**
 * The session settings every connection of the API and the worker runs with. An OLTP API: the hot
 * statements are written so that one plan suits every parameter value, so always use that generic
 * plan instead of planning again per execution (planning costs as much as executing); no parallel
 * plans (launching workers costs milliseconds, more than any query here should take); and bounds on
 * statements and idle transactions, so that a slow query cannot hold a request forever.
 *
 * With PostgreSQL reached directly they are startup parameters of each connection. Behind a
 * transaction pooler (DATABASE_POOLING=transaction) startup parameters are refused, so the migrator
 * stores them as the role's defaults in the database (`applySessionDefaults`) instead.
 */
export function sessionDefaults(config: AppConfig): Record<string, string> {
  return {
    statement_timeout: String(config.databaseStatementTimeoutMs),
    idle_in_transaction_session_timeout: String(config.databaseStatementTimeoutMs * 2),
    plan_cache_mode: 'force_generic_plan',
    max_parallel_workers_per_gather: '0',
  };
}

/** What every data source of the system shares. The schema is changed only by migrations: `synchronize` is never on here. */
function commonOptions(config: AppConfig, url: string) {
  return {
    type: 'postgres' as const,
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    poolSize: config.databasePoolSize,
    // Expected constraint violations are handled by the services; unexpected failures reach the exception filter's log.
    logging: false,
  };
}

/** Connection settings of the API's and the worker's pools (DATABASE_URL, maybe a pooler). */
export function dataSourceOptions(config: AppConfig): PostgresDataSourceOptions {
  const settings = sessionDefaults(config);
  const startupParameters =
    config.databasePooling === 'transaction'
      ? {}
      : {
          statement_timeout: Number(settings.statement_timeout),
          idle_in_transaction_session_timeout: Number(settings.idle_in_transaction_session_timeout),
          options: `-c plan_cache_mode=${settings.plan_cache_mode} -c max_parallel_workers_per_gather=${settings.max_parallel_workers_per_gather}`,
        };
  return {
    ...commonOptions(config, config.databaseUrl),
    extra: {
      // Fail fast instead of hanging when PostgreSQL is down or the pool is exhausted.
      connectionTimeoutMillis: config.databaseConnectTimeoutMs,
      application_name: 'conduit',
      ...startupParameters,
    },
  };
}

/**
 * The migrator's and the seeder's connection: PostgreSQL directly (DATABASE_DIRECT_URL; the
 * migration lock is a session lock), and without the request path's statement timeout, since a
 * migration or a seed of a large table takes as long as it takes.
 */
export function directDataSourceOptions(config: AppConfig): PostgresDataSourceOptions {
  return {
    ...commonOptions(config, config.databaseDirectUrl),
    // The migration lock's connection and the migrations' own.
    poolSize: 2,
    extra: {
      connectionTimeoutMillis: config.databaseConnectTimeoutMs,
      application_name: 'conduit-migrator',
      // No timeouts for migrations and seeds, over the role's defaults (applySessionDefaults). As
      // startup options: node-postgres does not send a `statement_timeout` of 0 (it skips falsy ones).
      options: '-c statement_timeout=0 -c idle_in_transaction_session_timeout=0',
    },
  };
}
