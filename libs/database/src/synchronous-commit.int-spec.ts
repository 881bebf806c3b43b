import { TestPostgresServer, testConfig, waitUntil } from '@app/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { Sql, statement } from './sql';
import { CommitNotReplicatedError } from './synchronous-commit';
import { Transactions } from './transaction';

/**
 * A primary that waits for a synchronous standby which never answers (as a primary cut off from
 * its standby does), and a cancel of that wait: PostgreSQL then commits locally and tells the
 * client it worked, with a warning. `Sql` and `Transactions` must report that commit as a
 * failure, or a partition's old primary acknowledges writes the cluster then loses. On a server
 * of the suite's own: the setting stalls every write of the server.
 */
describe('a commit whose wait for the synchronous standby was cancelled (real PostgreSQL)', () => {
  jest.setTimeout(60_000);
  let server: TestPostgresServer;
  let db: DataSource;
  let admin: Client;

  beforeAll(async () => {
    server = await TestPostgresServer.start();
    admin = new Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('CREATE TABLE probe (id serial PRIMARY KEY, note text NOT NULL)');
    db = new DataSource(dataSourceOptions(testConfig({ DATABASE_URL: server.url })));
    await db.initialize();
    // A standby that does not exist: every commit from now on waits for it.
    await admin.query(`ALTER SYSTEM SET synchronous_standby_names = 'nobody'`);
    await admin.query('SELECT pg_reload_conf()');
  });
  afterAll(async () => {
    await admin?.query('ALTER SYSTEM RESET synchronous_standby_names').catch(() => undefined);
    await admin?.end();
    await db?.destroy();
    await server?.stop();
  });

  /** Waits until a commit of `note` waits for the standby, then cancels that wait, as an operator's pg_cancel_backend would. */
  const cancelTheWaitOf = async (note: string) => {
    const pid = await waitUntil(
      async () =>
        (await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE wait_event = 'SyncRep' AND query LIKE $1`, [`%${note}%`])).rows[0]?.pid,
      { what: `the commit of "${note}" to wait for the standby` },
    );
    await admin.query('SELECT pg_cancel_backend($1)', [pid]);
  };
  const notes = async () => (await admin.query<{ note: string }>('SELECT note FROM probe ORDER BY id')).rows.map((row) => row.note);

  it('is reported to a plain client as a success, with a warning (what the guard is for)', async () => {
    const client = new Client({ connectionString: server.url });
    await client.connect();
    try {
      const warnings: string[] = [];
      client.on('notice', (notice) => warnings.push(notice.message ?? ''));
      const insert = client.query(`INSERT INTO probe (note) VALUES ('plain client')`);
      await cancelTheWaitOf('plain client');
      await expect(insert).resolves.toMatchObject({ rowCount: 1 });
      expect(warnings).toEqual([expect.stringMatching(/canceling wait for synchronous replication/)]);
    } finally {
      await client.end();
    }
  });

  it('fails a statement run by Sql, and a transaction run by Transactions, whose wait was cancelled', async () => {
    const sql = new Sql(db, testConfig({ DATABASE_URL: server.url }));
    const bySql = sql.execute(statement(`INSERT INTO probe (note) VALUES ('by Sql')`), []);
    await cancelTheWaitOf('by Sql');
    await expect(bySql).rejects.toBeInstanceOf(CommitNotReplicatedError);

    const transactions = new Transactions(db);
    const inTransaction = transactions.run((tx) => sql.execute(statement(`INSERT INTO probe (note) VALUES ('in a transaction')`), [], tx));
    await cancelTheWaitOf('COMMIT');
    await expect(inTransaction).rejects.toBeInstanceOf(CommitNotReplicatedError);

    // Committed here all the same: on a cut-off primary these are the writes its rejoin throws away.
    expect(await notes()).toEqual(['plain client', 'by Sql', 'in a transaction']);
    // The pool's connections stay usable: the next statement (a read: nothing to wait for) works.
    expect(await sql.rows(statement('SELECT count(*)::int AS n FROM probe'), [])).toEqual([{ n: 3 }]);
  });
});
