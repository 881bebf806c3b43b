#!/usr/bin/env node
/**
 * `npm start`: the whole system on this machine. Installs npm dependencies if
 * needed, reuses PostgreSQL and Redis at the configured URLs or starts local
 * ones, builds, migrates, seeds an empty database, then runs the API and the
 * worker until Ctrl+C, and stops everything it started.
 */
import { randomBytes } from 'node:crypto';
import { ensureDependencies } from './lib/dependencies.mjs';
import { log, warn } from './lib/log.mjs';

await ensureDependencies();
const { provisionServices } = await import('./lib/services.mjs');
const { buildApps, databaseCli, API_MAIN, WORKER_MAIN } = await import('./lib/build.mjs');
const { startProcess, httpOk } = await import('./lib/processes.mjs');
const { waitFor } = await import('./lib/run.mjs');

const services = await provisionServices();
const env = { ...services.env };
// The queue dashboard needs credentials; a local run without them gets a fresh password for this run.
const generatedAdmin = !env.ADMIN_USERNAME && !env.ADMIN_PASSWORD;
if (generatedAdmin) Object.assign(env, { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: randomBytes(12).toString('hex') });
const processes = [];
let stopping = false;

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  log('stopping...');
  for (const proc of processes.reverse()) await proc.stop();
  await services.stop();
  log('stopped');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  await buildApps();
  await databaseCli(['migrate'], env);
  await databaseCli(['seed', '--if-empty'], env);

  const api = startProcess('api', process.execPath, [API_MAIN], { env });
  const worker = startProcess('worker', process.execPath, [WORKER_MAIN], { env });
  processes.push(api, worker);
  for (const proc of processes) {
    void proc.exited.then((code) => {
      if (!stopping) {
        warn(`${proc.name} exited unexpectedly (${code}); stopping everything`);
        void shutdown(1);
      }
    });
  }
  const base = `http://localhost:${env.PORT}`;
  await waitFor(() => httpOk(`${base}/health/ready`), { timeoutMs: 60000, what: 'the API to become ready' });
  log(`API:        ${base}/api`);
  log(`Swagger UI: ${base}/docs   (OpenAPI JSON: ${base}/docs-json)`);
  log(`Health:     ${base}/health/ready`);
  log(`Metrics:    ${base}/metrics   (worker: http://localhost:${env.WORKER_METRICS_PORT ?? 9464}/metrics)`);
  log(`Queues:     ${base}/admin/queues   (user ${env.ADMIN_USERNAME}${generatedAdmin ? `, password ${env.ADMIN_PASSWORD} for this run` : ', password from ADMIN_PASSWORD'})`);
  log('Press Ctrl+C to stop the API, the worker and any service this command started.');
} catch (error) {
  warn(error instanceof Error ? error.message : String(error));
  await shutdown(1);
}
