import { chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ensureCommand } from './apt.mjs';
import { log } from './log.mjs';
import { isRoot } from './paths.mjs';
import { postgresUserIds } from './postgres.mjs';
import { freePort, startProcess, waitUntil } from './processes.cjs';

/** Resolves whether something accepts TCP connections on 127.0.0.1:`port`. */
function listening(port) {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.on('error', () => resolvePromise(false));
  });
}

/** A value of pgbouncer.ini or its auth file, which quote with double quotes. */
const quoted = (value) => `"${value.replace(/"/g, '""')}"`;

/**
 * Starts PgBouncer (Debian's package, installed with apt when missing and running as root) in
 * front of the PostgreSQL at `databaseUrl`, in transaction pooling mode as production runs it
 * (docs/scaling.md): every database of that server under its own name, the URL's user with its
 * password (SCRAM, both towards clients and towards PostgreSQL). Loopback only, on a free port;
 * its files live in `stateDir` and go with `stop()`.
 *
 * Answers the URL of `databaseUrl`'s database through the pooler, `urlOf(databaseUrl)` for any
 * other database URL of the same server, and `stop()`.
 */
export async function startPgBouncer(databaseUrl, stateDir) {
  const binary = await ensureCommand('pgbouncer', 'pgbouncer');
  const server = new URL(databaseUrl);
  const port = await freePort();
  const dir = join(stateDir, `pgbouncer-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const user = decodeURIComponent(server.username);
  writeFileSync(join(dir, 'userlist.txt'), `${quoted(user)} ${quoted(decodeURIComponent(server.password))}\n`, { mode: 0o600 });
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      // The fallback entry: a client's database name is passed on, so every database of the server is reachable.
      `* = host=${server.hostname} port=${server.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = scram-sha-256',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      'max_client_conn = 2000',
      // Server connections per database and user; the suites' own databases each get their pool.
      'default_pool_size = 10',
      'server_login_retry = 1',
      // pg sends no startup parameter PgBouncer does not know; JDBC-style clients would send this one.
      'ignore_startup_parameters = extra_float_digits',
      '',
    ].join('\n'),
  );
  const args = [join(dir, 'pgbouncer.ini')];
  if (isRoot()) {
    // PgBouncer refuses to run as root: it runs as the user PostgreSQL runs as, which must read its files.
    const ids = postgresUserIds();
    for (const file of ['', 'userlist.txt', 'pgbouncer.ini']) chownSync(join(dir, file), ids.uid, ids.gid);
    args.unshift('--user', 'postgres');
  }
  log(`starting pgbouncer (transaction pooling) on 127.0.0.1:${port} in front of ${server.host}`);
  const bouncer = startProcess('pgbouncer', binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await waitUntil(async () => !bouncer.running || (await listening(port)), { timeoutMs: 15_000, what: 'pgbouncer to listen' });
    if (!bouncer.running) throw new Error(`pgbouncer exited at start: ${bouncer.output().trim()}`);
  } catch (error) {
    await bouncer.kill();
    throw error;
  }
  const urlOf = (url) => Object.assign(new URL(url), { hostname: '127.0.0.1', port: String(port) }).toString();
  return {
    url: urlOf(databaseUrl),
    urlOf,
    output: () => bouncer.output(),
    async stop() {
      await bouncer.stop(5000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
