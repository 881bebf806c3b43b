import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface, Interface } from 'node:readline';
import { freePort, isAlive, waitUntil } from '@app/testing';
import Redis from 'ioredis';
import { Client } from 'pg';

const DRIVER = join(__dirname, 'support/local-services.mjs');
/** Fault suites' servers live where the postgres user can reach them (npm test sets it). */
const STATE_ROOT = process.env.CONDUIT_TEST_STATE_DIR ?? join(__dirname, '../../.local');

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * What `npm start` promises about the PostgreSQL and Redis it starts: killed with SIGKILL (or
 * crashed), each comes back by itself with its data (crash recovery; Redis's append-only file),
 * and stopping leaves nothing running.
 */
describe('local PostgreSQL and Redis (scripts/lib: ensurePostgres, ensureRedis)', () => {
  let dir: string;
  let driver: ChildProcess;
  let lines: Interface;
  let postgresUrl: string;
  let redisUrl: string;
  /** The driver's next answer ("ready ..." or "pids ..."); its log lines pass by. */
  const nextLine = () =>
    new Promise<string>((resolve) => {
      const onLine = (line: string) => {
        if (!/^(ready|pids) /.test(line)) return;
        lines.off('line', onLine);
        resolve(line);
      };
      lines.on('line', onLine);
    });
  const pids = async () => {
    const answer = nextLine();
    driver.stdin!.write('pids\n');
    return (await answer).split(' ').slice(1).map(Number);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(STATE_ROOT, 'local-services-'));
    postgresUrl = `postgres://conduit:conduit@127.0.0.1:${await freePort()}/conduit`;
    redisUrl = `redis://127.0.0.1:${await freePort()}`;
    driver = spawn(process.execPath, [DRIVER, dir, postgresUrl, redisUrl], { stdio: ['pipe', 'pipe', 'inherit'] });
    lines = createInterface({ input: driver.stdout! });
    expect(await nextLine()).toMatch(/^ready \d+ \d+$/);
  }, 120_000);
  afterAll(async () => {
    if (driver.exitCode === null) driver.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts both again after they are killed, with what they held', async () => {
    const [postgresPid, redisPid] = await pids();
    const db = new Client({ connectionString: postgresUrl });
    await db.connect();
    await db.query('CREATE TABLE kept (value text); INSERT INTO kept VALUES ($$before the crash$$)');
    await db.end();
    const redis = new Redis(redisUrl, { lazyConnect: true });
    await redis.connect();
    await redis.set('kept', 'before the crash');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // appendfsync everysec
    redis.disconnect();

    process.kill(postgresPid, 'SIGKILL');
    process.kill(redisPid, 'SIGKILL');
    await waitUntil(async () => (await postgresAnswers(postgresUrl)) && (await pids()).every((pid, i) => pid !== [postgresPid, redisPid][i]), {
      timeoutMs: 60_000,
      intervalMs: 500,
      what: 'PostgreSQL and Redis to be started again',
    });

    const after = new Client({ connectionString: postgresUrl });
    await after.connect();
    expect((await after.query('SELECT value FROM kept')).rows).toEqual([{ value: 'before the crash' }]);
    await after.end();
    const redisAfter = new Redis(redisUrl);
    expect(await redisAfter.get('kept')).toBe('before the crash');
    redisAfter.disconnect();
  }, 90_000);

  it('stops both, and nothing it started is left running', async () => {
    const running = await pids();
    const exited = new Promise((resolve) => driver.once('exit', resolve));
    driver.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(running.filter((pid) => isAlive(pid))).toEqual([]);
  }, 30_000);
});
