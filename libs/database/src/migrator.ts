import { DataSource } from 'typeorm';

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
