#!/usr/bin/env node
/**
 * `npm start`: the whole system on this machine, as it runs in production:
 *
 *   client -> nginx gateway (HTTPS, rate limits) -> API instances (API_INSTANCES, default 2)
 *          -> PostgreSQL, Redis;  worker <- Redis queues
 *
 * Installs npm dependencies if needed, reuses PostgreSQL and Redis at the configured URLs or
 * starts local ones, installs nginx with apt when missing, makes a self-signed certificate once,
 * builds, migrates, seeds an empty database, then runs everything until Ctrl+C and stops
 * everything it started (and nothing else). SIGHUP restarts the API instances one at a time.
 *
 * Options: --skip-build (use the existing dist/), --no-seed.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDependencies } from './lib/dependencies.mjs';
import { log, warn } from './lib/log.mjs';

const options = new Set(process.argv.slice(2));
await ensureDependencies();
const { provisionServices } = await import('./lib/services.mjs');
const { buildApps, databaseCli } = await import('./lib/build.mjs');
const { BUILT, startProcess, httpOk, waitUntil } = await import('./lib/processes.cjs');
const { ApiInstances } = await import('./lib/api-instances.mjs');
const { ensureCertificate, ensureNginx, writeGatewayConfig } = await import('./lib/gateway.mjs');
const { localStateDir } = await import('./lib/paths.mjs');

const services = await provisionServices();
const env = { ...services.env };
// The queue dashboard needs credentials; a local run without them gets a fresh password for this run.
const generatedAdmin = !env.ADMIN_USERNAME && !env.ADMIN_PASSWORD;
const workerMetricsPort = env.WORKER_METRICS_PORT || '9464';
if (generatedAdmin) Object.assign(env, { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: randomBytes(12).toString('hex') });
// Behind the gateway an instance drains before it stops (see docker/nginx: upstream keepalive_timeout 4s).
// nginx has a fixed list of upstreams: it stops sending to a stopping instance only when that refuses
// connections, and passes a refused request to the other instance (POSTs too: nothing was sent).
env.SHUTDOWN_DRAIN_MS ||= '5000';
env.SHUTDOWN_STOP_ACCEPTING ||= 'drain-start';

const stops = [];
let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  log('stopping...');
  for (const stop of stops.reverse()) await stop().catch((error) => warn(error.message));
  await services.stop();
  log('stopped');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  const nginx = await ensureNginx();
  if (!options.has('--skip-build')) await buildApps();
  await databaseCli(['migrate'], env);
  if (!options.has('--no-seed')) await databaseCli(['seed', '--if-empty'], env);

  const stateDir = localStateDir();
  const tls = await ensureCertificate(env, stateDir);
  const httpsPort = env.GATEWAY_HTTPS_PORT || '8443';
  const runDir = join(stateDir, `gateway-${httpsPort}`);
  const topologyFile = join(runDir, 'topology.json');
  const components = {};
  const recordTopology = () => writeFileSync(topologyFile, JSON.stringify({ pid: process.pid, ...components, api: instances.describe() }, null, 2));

  const instances = new ApiInstances({
    count: Number(env.API_INSTANCES || 2),
    firstPort: Number(env.PORT || 3000),
    env,
    onChange: () => components.gateway && recordTopology(),
  });
  stops.push(() => instances.stop());
  await instances.start();

  const worker = startProcess('worker', process.execPath, [BUILT.worker], { env });
  stops.push(() => worker.stop());
  void worker.exited.then((code) => {
    if (!stopping) {
      warn(`worker exited unexpectedly (${code}); stopping everything`);
      void shutdown(1);
    }
  });

  const { main, settings } = writeGatewayConfig(runDir, { env, tls, apiInstances: instances.addresses });
  const gateway = startProcess('gateway', nginx, ['-p', runDir, '-e', join(runDir, 'error.log'), '-c', main]);
  stops.push(() => gateway.stop());
  void gateway.exited.then((code) => {
    if (!stopping) {
      warn(`nginx exited unexpectedly (${code}); see ${join(runDir, 'error.log')}; stopping everything`);
      void shutdown(1);
    }
  });
  const base = `https://localhost:${settings.GATEWAY_PUBLIC_HTTPS_PORT}`;
  const ca = tls.selfSigned ? readFileSync(tls.certificate) : undefined;
  await waitUntil(async () => gateway.running && (await httpOk(`https://localhost:${httpsPort}/api/tags`, ca)), {
    timeoutMs: 30000,
    what: 'the gateway to answer over HTTPS',
  });
  await waitUntil(() => httpOk(`http://127.0.0.1:${workerMetricsPort}/health`), { timeoutMs: 30000, what: 'the worker to become ready' }).catch((error) =>
    warn(error.message),
  );
  Object.assign(components, {
    gateway: {
      pid: gateway.child.pid,
      https: base,
      http: `http://localhost:${settings.GATEWAY_HTTP_PORT}`,
      certificate: tls.certificate,
      accessLog: join(runDir, 'access.log'),
    },
    worker: { pid: worker.child.pid, metricsPort: Number(workerMetricsPort) },
  });
  recordTopology();
  process.on('SIGHUP', () => void instances.rollingRestart().catch((error) => warn(`rolling restart failed: ${error.message}`)));

  const internal = `http://127.0.0.1:${instances.slots[0].port}`;
  log(`API:        ${base}/api   (HTTP ${components.gateway.http} redirects to HTTPS)`);
  log(`Swagger UI: ${base}/docs`);
  log(
    tls.selfSigned
      ? `TLS:        self-signed certificate ${tls.certificate} (trust it, e.g. curl --cacert; real ones: GATEWAY_TLS_CERTIFICATE/_KEY)`
      : `TLS:        ${tls.certificate}`,
  );
  log(`Instances:  ${instances.addresses.map((a) => `http://${a}`).join(', ')}   (internal: health, metrics; not through the gateway)`);
  log(`Metrics:    ${internal}/metrics   (worker: http://127.0.0.1:${workerMetricsPort}/metrics)`);
  log(
    `Queues:     ${internal}/admin/queues   (user ${env.ADMIN_USERNAME}${generatedAdmin ? `, password ${env.ADMIN_PASSWORD} for this run` : ', password from ADMIN_PASSWORD'})`,
  );
  log(`Topology:   ${topologyFile}`);
  log(`Stop with Ctrl+C (or kill ${process.pid}); restart the API instances one at a time with kill -HUP ${process.pid}.`);
} catch (error) {
  warn(error instanceof Error ? error.message : String(error));
  await shutdown(1);
}
