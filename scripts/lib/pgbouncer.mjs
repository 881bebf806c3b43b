import { chownSync, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureCommand } from './apt.mjs';
import { log } from './log.mjs';
import { isRoot, PROJECT_DIR } from './paths.mjs';
import { postgresUserIds, probe } from './postgres.mjs';
import { freePort, startProcess, waitUntil } from './processes.cjs';

/** The script the image runs; here too, so that the tests run the configuration that ships. */
const ENTRYPOINT = join(PROJECT_DIR, 'docker/pgbouncer/entrypoint.sh');

/**
 * Starts PgBouncer (Debian's package, installed with apt when missing and running as root) in
 * front of the PostgreSQL at `databaseUrl` with the image's entrypoint (docker/pgbouncer): transaction
 * pooling, every database of that server under its own name, the URL's user with its password
 * (SCRAM towards clients and PostgreSQL). Loopback only, on a free port; as root it runs as the
 * user PostgreSQL runs as (PgBouncer refuses root). Its files live in `stateDir` and go with `stop()`.
 *
 * Answers the URL of `databaseUrl`'s database through the pooler, and `stop()`.
 */
export async function startPgBouncer(databaseUrl, stateDir) {
  const binary = await ensureCommand('pgbouncer', 'pgbouncer');
  const server = new URL(databaseUrl);
  const port = await freePort();
  const dir = join(stateDir, `pgbouncer-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A copy beside its files: as root it runs as the postgres user, who may not reach the checkout.
  const entrypoint = join(dir, 'entrypoint.sh');
  copyFileSync(ENTRYPOINT, entrypoint);
  const ids = isRoot() ? postgresUserIds() : {};
  if (ids.uid !== undefined) for (const path of [dir, entrypoint]) chownSync(path, ids.uid, ids.gid);
  const env = {
    PATH: `${dirname(binary)}:/usr/bin:/bin`,
    PGBOUNCER_SERVER_HOST: server.hostname,
    PGBOUNCER_SERVER_PORT: server.port || '5432',
    PGBOUNCER_USER: decodeURIComponent(server.username),
    PGBOUNCER_PASSWORD: decodeURIComponent(server.password),
    PGBOUNCER_LISTEN_ADDR: '127.0.0.1',
    PGBOUNCER_LISTEN_PORT: String(port),
    // Server connections per database and user: the suites' own databases each get such a pool.
    PGBOUNCER_DEFAULT_POOL_SIZE: '10',
    PGBOUNCER_CONFIG_DIR: dir,
  };
  log(`starting pgbouncer (transaction pooling) on 127.0.0.1:${port} in front of ${server.host}`);
  const bouncer = startProcess('pgbouncer', 'sh', [entrypoint], { env, ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = Object.assign(new URL(databaseUrl), { hostname: '127.0.0.1', port: String(port) }).toString();
  try {
    // Up when a login through it reaches the database, not merely when its port is open.
    await waitUntil(async () => !bouncer.running || (await probe(url)) === 'ok', { timeoutMs: 15_000, what: 'pgbouncer to answer' });
    if (!bouncer.running) throw new Error(`pgbouncer exited at start: ${bouncer.output().trim()}`);
  } catch (error) {
    await bouncer.kill();
    throw error;
  }
  return {
    url,
    output: () => bouncer.output(),
    async stop() {
      await bouncer.stop(5000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
