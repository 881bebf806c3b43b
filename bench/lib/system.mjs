import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { log, warn } from '../../scripts/lib/log.mjs';

const { buildApps, databaseCli } = await import('../../scripts/lib/build.mjs');
const { BUILT, freePort, httpOk, startProcess, waitUntil } = await import('../../scripts/lib/processes.cjs');
const { createDatabase, dropDatabase, withAdminClient } = await import('../../scripts/lib/postgres.mjs');
const { deleteKeysWithPrefix } = await import('../../scripts/lib/redis.mjs');
const { ensureDataset, datasetFacts, removeBenchmarkWrites, storeRevocations } = await import('./dataset.mjs');
const { scenarios } = await import('./scenarios.mjs');
const { provisionServices } = await import('../../scripts/lib/services.mjs');
const { startPgBouncer } = await import('../../scripts/lib/pgbouncer.mjs');
const { localStateDir } = await import('../../scripts/lib/paths.mjs');

/** The API's and the worker's connections through a PgBouncer in transaction mode (docs/scaling.md), stopped with the children. */
async function throughPgBouncer(dataUrl, children) {
  const bouncer = await startPgBouncer(dataUrl, localStateDir());
  children.adopt(bouncer);
  return { DATABASE_URL: bouncer.url, DATABASE_DIRECT_URL: dataUrl, DATABASE_POOLING: 'transaction' };
}
const { nodeVersionOf, productionNode } = await import('../../scripts/lib/production-node.mjs');

/**
 * The Node that runs the system under test: `production` (default) is the
 * production image's release (fetched once from the npm registry), `system`
 * the Node running this script.
 */
export function runtimeFor(choice) {
  if (choice === 'system') return process.execPath;
  if (choice !== 'production') throw new Error('--node must be production or system');
  return productionNode();
}

/** Resident set size in MiB of a process and its children (the cluster's workers), from Linux /proc. */
export function rssMiB(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    const own = match ? Number(match[1]) / 1024 : 0;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return Math.round(own + children.reduce((sum, child) => sum + (rssMiB(Number(child)) ?? 0), 0));
  } catch {
    return undefined;
  }
}

/** Node processes started here, stopped (SIGTERM, awaited) in reverse order by `stopAll`. */
export class Children {
  list = [];

  start(name, args, env, executable = process.execPath) {
    const proc = startProcess(name, executable, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    this.list.push(proc);
    void proc.exited.then((code) => code !== 0 && code !== 'SIGTERM' && warn(`${name} exited with ${code}`));
    return proc;
  }

  /** Something else to stop with the processes (in the same reverse order), e.g. a PgBouncer. */
  adopt(stoppable) {
    this.list.push({ stop: () => stoppable.stop() });
  }

  async stopAll() {
    for (const proc of this.list.reverse()) await proc.stop(60_000);
    this.list = [];
  }
}

/**
 * Builds, seeds (or reuses) the data set and starts the built API and worker in
 * the production profile: NODE_ENV=production, warn logs, a random strong
 * secret; only the rate limits are raised, through config. `node` runs them
 * (the production runtime: runtimeFor) with `nodeArgs` before the script (e.g. --cpu-prof;
 * the API's cluster workers inherit them). Shared by the benchmark and the soak test.
 */
export async function startProductionSystem({
  services,
  size,
  apiWorkers,
  children,
  node = process.execPath,
  nodeArgs = [],
  database = 'direct',
  revocations = 0,
  tracesEndpoint = undefined,
  traceRatio = undefined,
}) {
  await buildApps();
  const dataUrl = await ensureDataset({
    size,
    serverUrl: services.env.DATABASE_URL,
    env: services.env,
    databaseCli,
    createDatabase,
    dropDatabase,
    withAdminClient,
  });
  await removeBenchmarkWrites(dataUrl); // a run that was interrupted may have left some
  if (revocations > 0) await storeRevocations(dataUrl, revocations);
  const facts = await datasetFacts(dataUrl);

  const port = await freePort();
  const keyPrefix = `conduit:bench:${size}:`;
  await deleteKeysWithPrefix(services.env.REDIS_URL, keyPrefix);
  const env = {
    ...services.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: dataUrl,
    ...(database === 'pgbouncer' ? await throughPgBouncer(dataUrl, children) : {}),
    REDIS_KEY_PREFIX: keyPrefix,
    JWT_SECRET: randomBytes(48).toString('base64'),
    RATE_LIMIT_LIMIT: '10000000',
    RATE_LIMIT_AUTH_LIMIT: '10000000',
    WORKER_METRICS_PORT: String(await freePort()),
    SWAGGER_ENABLED: 'false',
    API_WORKERS: String(apiWorkers),
    // --traces: both processes export every span over OTLP/HTTP (to the run's own sink).
    ...(tracesEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: tracesEndpoint } : {}),
    ...(tracesEndpoint && traceRatio ? { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: String(traceRatio) } : {}),
  };
  const api = children.start('api', [...nodeArgs, BUILT.api], env, node);
  const startWorker = () => children.start('worker', [...nodeArgs, BUILT.worker], env, node);
  const system = { worker: startWorker() };
  const base = `http://127.0.0.1:${port}`;
  await waitUntil(() => httpOk(`${base}/health/ready`), { timeoutMs: 60_000, intervalMs: 200, what: 'the API' });
  log(`API (production profile, Node ${nodeVersionOf(node)}) on ${base}, pid ${api.pid}`);

  const login = async (email) => {
    const response = await fetch(`${base}/api/users/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: { email, password: 'password123' } }),
    });
    if (!response.ok) throw new Error(`login ${email}: ${response.status}`);
    return (await response.json()).user.token;
  };
  const readerToken = await login(facts.reader.email);
  const writerTokens = [];
  for (const email of facts.writers) writerTokens.push(await login(email));
  /** Stops the worker (SIGTERM: it finishes its active jobs); events wait in the outbox meanwhile. */
  const stopWorker = async () => {
    await system.worker.stop(60_000);
  };
  const restartWorker = () => {
    system.worker = startWorker();
  };
  return {
    base,
    api,
    get worker() {
      return system.worker;
    },
    stopWorker,
    restartWorker,
    facts,
    readerToken,
    writerTokens,
    dataUrl,
    cleanUp: () => removeBenchmarkWrites(dataUrl),
  };
}

/**
 * A stand-in OTLP/HTTP collector for `--traces`: takes every export, counts its bytes and answers
 * at once (a real collector would run elsewhere; this one shares the machine, like the load generator).
 */
export async function startTraceSink() {
  const { createServer } = await import('node:http');
  const received = { exports: 0, bytes: 0 };
  const server = createServer((req, res) => {
    req.on('data', (chunk) => (received.bytes += chunk.length));
    req.on('end', () => {
      received.exports++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

/**
 * PostgreSQL and Redis provisioned as for `npm start`, and a place for the processes a run starts;
 * `stopAll` (also on Ctrl+C) stops both, only what was started here.
 */
export async function benchEnvironment() {
  const services = await provisionServices();
  const children = new Children();
  const stopAll = async () => {
    await children.stopAll();
    await services.stop();
  };
  process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
  return { services, children, stopAll };
}

/**
 * Background work the system still has to do, from the API's /metrics: outbox events not yet
 * relayed, and jobs waiting, delayed or running in the queues that writes feed.
 */
export async function backlog(base) {
  const text = await (await fetch(`${base}/metrics`)).text();
  const sum = (pattern) => [...text.matchAll(pattern)].reduce((total, match) => total + Number(match[1]), 0);
  const pending = sum(/^conduit_outbox_pending_events (\d+)/gm);
  const jobs = sum(/^conduit_queue_jobs\{queue="(?:events|notification-fanout)",state="(?:waiting|active|delayed)"\} (\d+)/gm);
  return { pending, jobs, total: pending + jobs };
}

/** The benchmark's endpoint mix against a started system. */
export function scenariosFor(system) {
  const { facts, readerToken, writerTokens } = system;
  return scenarios({
    ...facts,
    reader: { ...facts.reader, follows: facts.counts.readerFollows },
    readerToken,
    writerTokens,
    popularAuthor: facts.reader.username,
  });
}

/** What a result is worth only beside: the machine it was measured on, and the Node that ran the system. */
export function machineFacts(node = process.execPath) {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: nodeVersionOf(node),
  };
}
