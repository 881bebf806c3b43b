import { AppConfig } from '@app/config';
import { DataSource } from 'typeorm';
import { sessionDefaults } from './data-source-options';
import { applySearchLanguage } from './search-language';

/** Any constant works; it only has to be the same for every process that migrates. */
const MIGRATION_LOCK_KEY = 727_274_001;

/**
 * Runs (or reverts) migrations under a PostgreSQL advisory lock, so several
 * instances or a deploy job starting at once apply each migration exactly once.
 */
export async function runMigrations(dataSource: DataSource, direction: 'up' | 'down' = 'up'): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    if (direction === 'down') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      return [];
    }
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * Stores the session settings (`sessionDefaults`) as this role's defaults in this database, so that
 * connections that cannot send them (through a transaction pooler) get them too; run by `migrate`
 * on every deploy, so a changed DATABASE_STATEMENT_TIMEOUT_MS reaches the database with it. A role
 * may set its own defaults; the values are validated integers and fixed words, quoted by format().
 */
export async function applySessionDefaults(dataSource: DataSource, config: AppConfig): Promise<void> {
  for (const [name, value] of Object.entries(sessionDefaults(config))) {
    if (!/^[a-z_]+$/.test(name) || !/^[a-z0-9_]+$/.test(value)) throw new Error(`refusing session default ${name}=${value}`);
    await dataSource.query(`DO $$ BEGIN EXECUTE format('ALTER ROLE %I IN DATABASE %I SET ${name} = %L', current_user, current_database(), '${value}'); END $$`);
  }
}

/** What `migrate` does after the migrations: the settings that follow the configuration (session defaults, search language). */
export async function applyDatabaseSettings(dataSource: DataSource, config: AppConfig): Promise<void> {
  await applySessionDefaults(dataSource, config);
  await applySearchLanguage(dataSource, config);
}
