#!/usr/bin/env node
/**
 * `npm run bench -- [--size small|medium|large] [--duration 10] [--connections 32] [--api-workers 2] [--only text] [--node production|system] [--revocations N] [--traces [--trace-ratio R]] [--cpu-prof dir]`
 *
 * Seeds (or reuses) the data set, starts the built API and worker in a
 * production profile on this machine, drives each endpoint of a fixed mix
 * with autocannon, measures a bare Node http server as the ceiling in the
 * same run, prints one table and writes it to bench/results/<size>.{json,md}.
 *
 * With --revocations N, N revoked tokens are stored before the API starts: every instance holds
 * them and checks each request's token against them (docs/security.md).
 *
 * With --traces, the API and the worker export every span over OTLP/HTTP to a sink started by
 * the run (docs/operations.md, "Traces"): the cost of tracing, beside a run without it; with
 * --trace-ratio R only that share of the traces is sampled (parentbased_traceidratio).
 *
 * With --cpu-prof <dir> the API and worker processes run under V8's CPU profiler and
 * write one profile each into <dir> when they stop; the run then prints where each
 * spent its time and writes no results (the profiler's overhead skews the numbers).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
    node: { type: 'string', default: 'production' },
    'cpu-prof': { type: 'string' },
    database: { type: 'string', default: 'direct' },
    revocations: { type: 'string', default: '0' },
    traces: { type: 'boolean', default: false },
    'trace-ratio': { type: 'string' },
  },
});
if (!['small', 'medium', 'large'].includes(values.size)) throw new Error(`--size must be small, medium or large`);
if (!['direct', 'pgbouncer'].includes(values.database)) throw new Error('--database must be direct or pgbouncer');
const durationSeconds = Number(values.duration);
const warmupSeconds = Number(values.warmup);
const connections = Number(values.connections);
const revocations = Number(values.revocations);
if (!Number.isSafeInteger(revocations) || revocations < 0) throw new Error('--revocations must be a whole number');

await ensureDependencies();
const { default: autocannon } = await import('autocannon');
const { freePort, httpOk, waitUntil } = await import('../scripts/lib/processes.cjs');
const { backlog, benchEnvironment, machineFacts, rssMiB, runtimeFor, scenariosFor, startProductionSystem, startTraceSink } = await import('./lib/system.mjs');
const { textTable, writeResults } = await import('./lib/report.mjs');

const node = runtimeFor(values.node);
const profileDir = values['cpu-prof'] && resolve(values['cpu-prof']);
const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
const { services, children, stopAll } = await benchEnvironment();

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

const traceRatio = values['trace-ratio'] === undefined ? undefined : Number(values['trace-ratio']);
if (traceRatio !== undefined && !(traceRatio > 0 && traceRatio <= 1)) throw new Error('--trace-ratio must be in (0, 1]');
const traceSink = values.traces ? await startTraceSink() : undefined;
try {
  const system = await startProductionSystem({
    services,
    size: values.size,
    apiWorkers: values['api-workers'],
    children,
    node,
    nodeArgs,
    database: values.database,
    revocations,
    tracesEndpoint: traceSink?.url,
    traceRatio,
  });
  const { base, api, facts } = system;

  // The ceiling, measured in this run: the same bytes as the list page, from a bare server.
  const listBody = Buffer.from(await (await fetch(`${base}/api/articles?limit=20`)).arrayBuffer());
  const bodyDir = mkdtempSync(join(tmpdir(), 'conduit-bench-'));
  const bodyFile = join(bodyDir, 'list.json');
  writeFileSync(bodyFile, listBody);
  const ceilingPort = await freePort();
  const ceilingServer = children.start('ceiling', [join(PROJECT_DIR, 'bench/lib/ceiling-server.mjs'), bodyFile, String(ceilingPort)], process.env, node);
  await waitUntil(() => httpOk(`http://127.0.0.1:${ceilingPort}/`), { timeoutMs: 10_000, what: 'the ceiling server' });
  await drive(`http://127.0.0.1:${ceilingPort}`, { method: 'GET', path: '/' }, { duration: warmupSeconds });
  const ceiling = await drive(`http://127.0.0.1:${ceilingPort}`, { method: 'GET', path: '/' }, { pid: ceilingServer.pid });
  ceilingServer.kill('SIGTERM');
  rmSync(bodyDir, { recursive: true, force: true });
  log(`ceiling: ${Math.round(ceiling.requestsPerSecond)} req/s, p99 ${ceiling.p99Ms} ms (${listBody.length} bytes)`);

  const mix = scenariosFor(system);
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
  const [underLogins, logins] = await Promise.all([
    drive(base, list, { conns: Math.max(1, connections / 2) }),
    drive(base, mix.find((s) => s.name === 'login').request, { conns: Math.max(1, connections / 2) }),
  ]);
  // Logins beyond the bounded hashing queue are refused with 503 at once (ARGON2_MAX_QUEUED): counted, not hidden.
  const hashingIsolation = {
    baselineP99Ms: baseline.p99Ms,
    underLoginsP99Ms: underLogins.p99Ms,
    ratio: underLogins.p99Ms / baseline.p99Ms,
    loginsPerSecond: logins.requestsPerSecond,
    loginP99Ms: logins.p99Ms,
    loginsRefused: logins.non2xx,
  };

  // The writes again with the worker stopped: what the API acknowledges when it has the CPU to
  // itself (in production the worker runs on other cores), then how fast the worker, alone, works
  // off the events those writes left in the outbox.
  const apiOnly = [];
  let drain;
  const eventWrites = mix.filter((s) => s.kind === 'write' && s.name !== 'login' && (!values.only || s.name.includes(values.only)));
  if (eventWrites.length > 0) {
    await waitUntil(async () => (await backlog(base)).total === 0, {
      timeoutMs: 300_000,
      intervalMs: 200,
      what: "the worker to finish the earlier writes' events",
    });
    await system.stopWorker();
    for (const scenario of eventWrites) {
      await drive(base, scenario.request, { duration: warmupSeconds });
      const result = await drive(base, scenario.request, { pid: api.pid });
      apiOnly.push({
        name: `${scenario.name} (worker stopped)`,
        kind: scenario.kind,
        ...result,
        ratioToCeiling: result.requestsPerSecond / ceiling.requestsPerSecond,
      });
      log(
        `${scenario.name}, worker stopped: ${Math.round(result.requestsPerSecond)} req/s, p99 ${result.p99Ms} ms, errors ${result.errors}, non-2xx ${result.non2xx}`,
      );
    }
    const left = await backlog(base);
    const drainStarted = Date.now();
    system.restartWorker();
    await waitUntil(async () => (await backlog(base)).total === 0, { timeoutMs: 600_000, intervalMs: 250, what: 'the worker to work off the backlog' });
    const seconds = (Date.now() - drainStarted) / 1000;
    drain = { events: left.pending, seconds, eventsPerSecond: left.pending / seconds };
    log(
      `worker: ${left.pending} events (${left.jobs} jobs) worked off in ${seconds.toFixed(1)} s (${Math.round(drain.eventsPerSecond)} events/s, start-up included)`,
    );
  }
  rows.push(...apiOnly);

  const report = {
    command: `npm run bench -- --size ${values.size} --duration ${durationSeconds} --connections ${connections} --api-workers ${values['api-workers']}${values.only ? ` --only "${values.only}"` : ''}${values.node !== 'production' ? ` --node ${values.node}` : ''}${values.database !== 'direct' ? ` --database ${values.database}` : ''}${revocations ? ` --revocations ${revocations}` : ''}${values.traces ? ' --traces' : ''}${traceRatio ? ` --trace-ratio ${traceRatio}` : ''}`,
    database: values.database,
    revocations,
    traces: traceSink && { exports: traceSink.received.exports, bytes: traceSink.received.bytes, ratio: traceRatio ?? 1 },
    only: values.only,
    startedAt: new Date().toISOString(),
    machine: machineFacts(node),
    dataset: { size: values.size, ...facts.counts },
    load: { connections, durationSeconds, warmupSeconds },
    system: `the API as a cluster of ${values['api-workers']} process(es) (API_WORKERS) and one worker, built JS, NODE_ENV=production, LOG_LEVEL=warn; PostgreSQL and Redis on the same machine${values.database === 'pgbouncer' ? ', PostgreSQL through PgBouncer 1.18 in transaction mode (DATABASE_POOLING=transaction: unnamed statements)' : ''}`,
    ceiling: { ...ceiling, bodyBytes: listBody.length },
    rows,
    hashingIsolation,
    drain,
  };
  console.log(`\n${textTable(rows)}\n`);
  console.log(
    `ceiling ${Math.round(ceiling.requestsPerSecond)} req/s; list p99 ${baseline.p99Ms} ms alone, ${underLogins.p99Ms} ms beside logins (${hashingIsolation.ratio.toFixed(2)}x; ` +
      `logins ${Math.round(logins.requestsPerSecond)}/s, p99 ${logins.p99Ms} ms, ${logins.non2xx} refused)`,
  );
  if (drain) console.log(`worker alone: ${drain.events} events in ${drain.seconds.toFixed(1)} s (${Math.round(drain.eventsPerSecond)} events/s)`);
  if (profileDir) {
    log('profiled run: results not written (the profiler skews them)');
  } else {
    const files = writeResults(join(PROJECT_DIR, 'bench/results'), report);
    log(`results: ${files.json}, ${files.markdown}`);
  }
  await system.cleanUp();
} catch (error) {
  warn(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
} finally {
  await stopAll();
  await traceSink?.close();
}
if (profileDir) {
  // Written by each process as it exits (stopAll stops them gracefully).
  const { profileReport, summarizeProfiles } = await import('./lib/profile-summary.mjs');
  console.log(`\nCPU profiles in ${profileDir}:\n\n${profileReport(summarizeProfiles(profileDir))}`);
}
