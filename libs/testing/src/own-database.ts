import { loadConfig } from '@app/config';
import { dataSourceOptions, runMigrations } from '@app/database';
import { unique } from './unique';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

/**
 * A migrated database of the suite's own, on the test run's server, for suites
 * whose assertions need a table nobody else writes to (other suites run in
 * parallel against the run's shared database). Dropped after the suite.
 */
export function useOwnDatabase(): { url: () => string } {
  const shared = new URL(process.env.DATABASE_URL ?? '');
  const name = `${shared.pathname.slice(1)}_${unique('own')}`.slice(0, 63);
  const url = Object.assign(new URL(shared.toString()), { pathname: `/${name}` }).toString();
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: shared.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  beforeAll(async () => {
    await admin(`CREATE DATABASE "${name}"`);
    const db = new DataSource(dataSourceOptions(loadConfig({ ...process.env, DATABASE_URL: url })));
    await db.initialize();
    try {
      await runMigrations(db);
    } finally {
      await db.destroy();
    }
  }, 30_000);
  afterAll(async () => {
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
  return { url: () => url };
}
