import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCommand } from './apt.mjs';
import { isLocalHost } from './environment.mjs';
import { log } from './log.mjs';
import { waitUntil } from './processes.cjs';
import { serviceProcess, superviseService } from './supervise.mjs';

const { default: Redis } = await import('ioredis');

export async function redisAnswers(url) {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Deletes every key under `prefix` (a test run's own keys), in batches. */
export async function deleteKeysWithPrefix(url, prefix) {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]]/g, '\\$&')}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/**
 * Makes the configured Redis answer. Sentinels (REDIS_SENTINELS) or a Cluster (REDIS_CLUSTER_NODES)
 * are the operator's, never started here: one node of them must answer. Otherwise REDIS_URL, as
 * `ensureRedis`.
 */
export async function ensureRedisTopology(env, stateDir) {
  const nodes = env.REDIS_SENTINELS || env.REDIS_CLUSTER_NODES;
  if (!nodes) return ensureRedis(env.REDIS_URL, stateDir);
  const what = env.REDIS_SENTINELS ? 'REDIS_SENTINELS' : 'REDIS_CLUSTER_NODES';
  const addresses = nodes
    .split(',')
    .map((node) => node.trim())
    .filter(Boolean);
  for (const address of addresses) {
    // A Sentinel answers PING too; the system asks it for the master itself.
    if (await redisAnswers(`redis://${address}`)) return { stop: async () => {}, current: () => undefined };
  }
  throw new Error(`no node of ${what} (${addresses.join(', ')}) answers; start them or fix ${what}`);
}

/**
 * Makes Redis answer at `url`: reuses a server that already does, or starts
 * the system redis-server (installed with apt when missing and running as
 * root) on the URL's port, with append-only persistence, and supervises it. Returns
 * `stop()`, which stops only what this call started, and `current()`, its process.
 */
export async function ensureRedis(url, stateDir) {
  if (await redisAnswers(url)) return { stop: async () => {}, current: () => undefined };
  const target = new URL(url);
  if (!isLocalHost(target.hostname)) throw new Error(`Redis at ${target.host} does not answer; start it or fix REDIS_URL`);

  const binary = await ensureCommand('redis-server', 'redis-server', ' (or set REDIS_URL to a running Redis)');
  const port = target.port || '6379';
  const dataDir = join(stateDir, 'redis');
  mkdirSync(dataDir, { recursive: true });
  // Append-only persistence as in production (docker/compose.yaml): queued jobs survive a crash,
  // up to the last second's writes.
  const args = [
    '--port',
    port,
    '--bind',
    '127.0.0.1',
    '--dir',
    dataDir,
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--daemonize',
    'no',
    '--logfile',
    '',
  ];
  if (target.password) args.push('--requirepass', decodeURIComponent(target.password));
  log(`starting redis-server on 127.0.0.1:${port}`);
  // Supervised: killed or crashed, it is started again (queued jobs wait in the outbox meanwhile).
  const supervised = await superviseService('redis-server', () => startRedisServer(binary, args, url));
  return { stop: () => supervised.stop(), current: () => supervised.current() };
}

/** One redis-server process, once it answers: `{ exited, stop, pid }`. */
async function startRedisServer(binary, args, url) {
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const server = serviceProcess(child, { name: 'redis-server', stopSignal: 'SIGTERM', killAfterMs: 5000 });
  try {
    await waitUntil(async () => !server.running || (await redisAnswers(url)), { timeoutMs: 15000, what: 'redis-server to answer' });
    if (!server.running) throw new Error(`redis-server exited at start: ${stderr.trim()}`);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return server;
}
