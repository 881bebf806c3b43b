import { AppConfig } from '@app/config';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

/**
 * Connection settings shared by the API, the worker and the migration CLI.
 * The schema is changed only by migrations: `synchronize` is never on here.
 */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    poolSize: config.databasePoolSize,
    // Expected constraint violations are handled by the services; unexpected failures reach the exception filter's log.
    logging: false,
    extra: {
      // Fail fast instead of hanging when PostgreSQL is down or the pool is exhausted.
      connectionTimeoutMillis: config.databaseConnectTimeoutMs,
      statement_timeout: config.databaseStatementTimeoutMs,
      idle_in_transaction_session_timeout: config.databaseStatementTimeoutMs * 2,
      application_name: 'conduit',
      // Session settings for an OLTP API. The hot statements are prepared (@app/database Sql) and
      // written so that one plan suits every parameter value: always use that generic plan instead
      // of planning again per execution (planning cost as much as executing). And no parallel
      // plans: launching workers costs milliseconds, far more than any query here should take.
      options: '-c plan_cache_mode=force_generic_plan -c max_parallel_workers_per_gather=0',
    },
  };
}
