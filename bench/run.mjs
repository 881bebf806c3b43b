#!/usr/bin/env node
/**
 * `npm run bench -- [--size small|medium|large] [--duration 10] [--connections 32] [--api-workers 2] [--only text]`
 *
 * Seeds (or reuses) the data set, starts the built API and worker in a
 * production profile on this machine, drives each endpoint of a fixed mix
 * with autocannon, measures a bare Node http server as the ceiling in the
 * same run, prints one table and writes it to bench/results/<size>.{json,md}.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { cpus, totalmem, tmpdir, release, type } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDependencies } from '../scripts/lib/dependencies.mjs';
import { log, warn } from '../scripts/lib/log.mjs';
import { PROJECT_DIR } from '../scripts/lib/paths.mjs';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'small' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    'api-workers': { type: 'string', default: '2' },
    only: { type: 'string' },
  },
});
if (!['small', 'medium', 'large'].includes(values.size)) throw new Error(`--size must be small, medium or large`);
const durationSeconds = Number(values.duration);
const warmupSeconds = Number(values.warmup);
const connections = Number(values.connections);

await ensureDependencies();
const { default: autocannon } = await import('autocannon');
const { provisionServices } = await import('../scripts/lib/services.mjs');
const { buildApps, databaseCli, API_MAIN, WORKER_MAIN } = await import('../scripts/lib/build.mjs');
const { createDatabase, dropDatabase, withAdminClient } = await import('../scripts/lib/postgres.mjs');
const { freePort } = await import('../scripts/lib/realworld-suite.mjs');
const { waitFor } = await import('../scripts/lib/run.mjs');
const { deleteKeysWithPrefix } = await import('../scripts/lib/redis.mjs');
const { ensureDataset, datasetFacts, removeBenchmarkWrites } = await import('./lib/dataset.mjs');
const { scenarios } = await import('./lib/scenarios.mjs');
const { textTable, writeResults } = await import('./lib/report.mjs');

const services = await provisionServices();
const children = [];
const stopAll = async () => {
  for (const child of children.reverse()) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
  await services.stop();
};
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));

/** Resident set size in MiB of a process and its children (the cluster's workers), from Linux /proc. */
function rssMiB(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    const own = match ? Number(match[1]) / 1024 : 0;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return Math.round(own + children.reduce((sum, child) => sum + (rssMiB(Number(child)) ?? 0), 0));
  } catch {
    return undefined;
  }
}

/** One autocannon run; samples the server's RSS while it lasts and keeps the peak. */
async function drive(url, request, { duration = durationSeconds, conns = connections, pid } = {}) {
  let peak;
  const sampler = pid ? setInterval(() => (peak = Math.max(peak ?? 0, rssMiB(pid) ?? 0)), 250) : undefined;
  try {
    const result = await autocannon({ url, connections: conns, duration, requests: [request] });
    return {
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
      total: result.requests.total,
      rssMiB: peak,
    };
  } finally {
    clearInterval(sampler);
  }
}

function start(name, args, env) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.on('data', () => {});
  children.push(child);
  child.once('exit', (code) => code !== 0 && code !== null && warn(`${name} exited with ${code}`));
  return child;
}

try {
  await buildApps();
  const dataUrl = await ensureDataset({ size: values.size, serverUrl: services.env.DATABASE_URL, env: services.env, databaseCli, createDatabase, dropDatabase, withAdminClient });
  await removeBenchmarkWrites(dataUrl); // a run that was interrupted may have left some
  const facts = await datasetFacts(dataUrl);

  // The production profile: built JS, NODE_ENV=production, warn logs; only the rate limits are raised, through config.
  const port = await freePort();
  const keyPrefix = `conduit:bench:${values.size}:`;
  await deleteKeysWithPrefix(services.env.REDIS_URL, keyPrefix);
  const env = {
    ...services.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: dataUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    JWT_SECRET: randomBytes(48).toString('base64'),
    RATE_LIMIT_LIMIT: '10000000',
    RATE_LIMIT_AUTH_LIMIT: '10000000',
    WORKER_METRICS_PORT: String(await freePort()),
    SWAGGER_ENABLED: 'false',
    API_WORKERS: values['api-workers'],
  };
  const api = start('api', [API_MAIN], env);
  start('worker', [WORKER_MAIN], env);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${base}/health/ready`).catch(() => ({ ok: false }))).ok, { timeoutMs: 60_000, what: 'the API' });
  log(`API (production profile) on ${base}, pid ${api.pid}`);

  const login = async (email) => {
    const response = await fetch(`${base}/api/users/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: { email, password: 'password123' } }) });
    if (!response.ok) throw new Error(`login ${email}: ${response.status}`);
    return (await response.json()).user.token;
  };
  const readerToken = await login(facts.reader.email);
  const writerTokens = [];
  for (const email of facts.writers) writerTokens.push(await login(email));

  // The ceiling, measured in this run: the same bytes as the list page, from a bare server.
  const listBody = Buffer.from(await (await fetch(`${base}/api/articles?limit=20`)).arrayBuffer());
  const bodyFile = join(mkdtempSync(join(tmpdir(), 'conduit-bench-')), 'list.json');
  writeFileSync(bodyFile, listBody);
  const ceilingPort = await freePort();
  const ceilingServer = start('ceiling', [join(PROJECT_DIR, 'bench/lib/ceiling-server.mjs'), bodyFile, String(ceilingPort)], process.env);
  await waitFor(async () => (await fetch(`http://127.0.0.1:${ceilingPort}/`).catch(() => ({ ok: false }))).ok, { timeoutMs: 10_000, what: 'the ceiling server' });
  await drive(`http://127.0.0.1:${ceilingPort}`, { method: 'GET', path: '/' }, { duration: warmupSeconds });
  const ceiling = await drive(`http://127.0.0.1:${ceilingPort}`, { method: 'GET', path: '/' }, { pid: ceilingServer.pid });
  ceilingServer.kill('SIGTERM');
  log(`ceiling: ${Math.round(ceiling.requestsPerSecond)} req/s, p99 ${ceiling.p99Ms} ms (${listBody.length} bytes)`);

  const mix = scenarios({ ...facts, reader: { ...facts.reader, follows: facts.counts.readerFollows }, readerToken, writerTokens, popularAuthor: facts.reader.username });
  const rows = [];
  for (const scenario of mix.filter((s) => !values.only || s.name.includes(values.only))) {
    await drive(base, scenario.request, { duration: warmupSeconds });
    const result = await drive(base, scenario.request, { pid: api.pid });
    rows.push({ name: scenario.name, kind: scenario.kind, ...result, ratioToCeiling: result.requestsPerSecond / ceiling.requestsPerSecond });
    log(`${scenario.name}: ${Math.round(result.requestsPerSecond)} req/s, p99 ${result.p99Ms} ms, errors ${result.errors}, non-2xx ${result.non2xx}`);
  }

  // Hashing must not stall other requests: list p99 with logins running at full rate beside it.
  const list = mix[0].request;
  const baseline = await drive(base, list, { conns: Math.max(1, connections / 2) });
  const [underLogins] = await Promise.all([drive(base, list, { conns: Math.max(1, connections / 2) }), drive(base, mix.find((s) => s.name === 'login').request, { conns: Math.max(1, connections / 2) })]);
  const hashingIsolation = { baselineP99Ms: baseline.p99Ms, underLoginsP99Ms: underLogins.p99Ms, ratio: underLogins.p99Ms / baseline.p99Ms };

  const report = {
    command: `npm run bench -- --size ${values.size} --duration ${durationSeconds} --connections ${connections} --api-workers ${values['api-workers']}${values.only ? ` --only "${values.only}"` : ''}`,
    startedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), os: `${type()} ${release()}`, node: process.version },
    dataset: { size: values.size, ...facts.counts },
    load: { connections, durationSeconds, warmupSeconds },
    system: `the API as a cluster of ${values['api-workers']} process(es) (API_WORKERS) and one worker, built JS, NODE_ENV=production, LOG_LEVEL=warn; PostgreSQL and Redis on the same machine`,
    ceiling: { ...ceiling, bodyBytes: listBody.length },
    rows,
    hashingIsolation,
  };
  console.log(`\n${textTable(rows)}\n`);
  console.log(`ceiling ${Math.round(ceiling.requestsPerSecond)} req/s; list p99 ${baseline.p99Ms} ms alone, ${underLogins.p99Ms} ms beside logins (${hashingIsolation.ratio.toFixed(2)}x)`);
  const files = writeResults(join(PROJECT_DIR, 'bench/results'), report);
  log(`results: ${files.json}, ${files.markdown}`);
  await removeBenchmarkWrites(dataUrl);
} catch (error) {
  warn(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exitCode = 1;
} finally {
  await stopAll();
}
