import { loadConfig } from '@app/config';
import { dataSourceOptions, directDataSourceOptions } from '@app/database';
import { DataSource } from 'typeorm';

/**
 * The session settings reach every connection of the API's pool, whether PostgreSQL is reached
 * directly (startup parameters) or through the run's PgBouncer in transaction mode (the role's
 * defaults stored by `migrate`): `npm test` runs this suite both ways.
 */
describe(`database connections (DATABASE_POOLING=${process.env.DATABASE_POOLING ?? 'session'})`, () => {
  const config = loadConfig();
  let db: DataSource;
  beforeAll(async () => {
    db = await new DataSource(dataSourceOptions(config)).initialize();
  });
  afterAll(() => db?.destroy());

  it('run with the statement timeout, generic plans and no parallel plans on every connection', async () => {
    const settings = async () =>
      db.query<{ timeout: string; plans: string; parallel: string }[]>(
        `SELECT current_setting('statement_timeout') AS timeout, current_setting('plan_cache_mode') AS plans,
                current_setting('max_parallel_workers_per_gather') AS parallel`,
      );
    // Several at once, so that the pool (and behind a pooler, several server connections) answers.
    const answers = (await Promise.all(Array.from({ length: 8 }, settings))).flat();
    const expectedTimeout = `${config.databaseStatementTimeoutMs / 1000}s`;
    for (const answer of answers) expect(answer).toEqual({ timeout: expectedTimeout, plans: 'force_generic_plan', parallel: '0' });
  });

  it("of the migrator and the seeder run without timeouts, over the role's defaults", async () => {
    const direct = await new DataSource(directDataSourceOptions(config)).initialize();
    try {
      const [row] = await direct.query<{ timeout: string; idle: string }[]>(
        `SELECT current_setting('statement_timeout') AS timeout, current_setting('idle_in_transaction_session_timeout') AS idle`,
      );
      expect(row).toEqual({ timeout: '0', idle: '0' });
    } finally {
      await direct.destroy();
    }
  });

  it('go through the pooler when one is configured (the server sees another port than the client dialled)', async () => {
    const [{ port }] = await db.query<{ port: number }[]>('SELECT inet_server_port() AS port');
    const dialled = Number(new URL(config.databaseUrl).port || 5432);
    if (config.databasePooling === 'transaction') expect(port).not.toBe(dialled);
    else expect(port).toBe(dialled);
  });
});
