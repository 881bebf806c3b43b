import { loadConfig } from '@app/config';
import { applyDatabaseSettings, directDataSourceOptions, runMigrations } from '@app/database';
import { afterSuite } from './suite-cleanup';
import { unique } from './unique';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

/** `url` with its database name replaced. */
const onDatabase = (url: string, name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();

/**
 * A migrated database of the suite's own, on the test run's server, for suites
 * whose assertions need a table nobody else writes to (other suites run in
 * parallel against the run's shared database). Dropped after the suite.
 * `url()` reaches it as DATABASE_URL does (through the pooler on the run's
 * pooler pass); `env()` names it for a process, its direct URL included.
 */
export function useOwnDatabase(): { url: () => string; env: () => { DATABASE_URL: string; DATABASE_DIRECT_URL: string } } {
  const shared = process.env.DATABASE_URL ?? '';
  const sharedDirect = process.env.DATABASE_DIRECT_URL ?? shared;
  const name = `${new URL(shared).pathname.slice(1)}_${unique('own')}`.slice(0, 63);
  const env = { DATABASE_URL: onDatabase(shared, name), DATABASE_DIRECT_URL: onDatabase(sharedDirect, name) };
  // Directly: creating and dropping databases is no business of a pooler.
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: sharedDirect });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  beforeAll(async () => {
    await admin(`CREATE DATABASE "${name}"`);
    const config = loadConfig({ ...process.env, ...env });
    const db = new DataSource(directDataSourceOptions(config));
    await db.initialize();
    try {
      await runMigrations(db);
      await applyDatabaseSettings(db, config);
    } finally {
      await db.destroy();
    }
  }, 30_000);
  // After the suite's API instances and workers have stopped (suite-cleanup.ts).
  afterSuite(async () => {
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
  return { url: () => env.DATABASE_URL, env: () => env };
}
