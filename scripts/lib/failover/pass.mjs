import { cpus, totalmem } from 'node:os';
import { buildApps } from '../build.mjs';
import { ensureClusterTools, startCluster } from '../cluster/cluster.mjs';
import { PATRONI_TIMING, SENTINEL_DOWN_AFTER_MS } from '../cluster/node-stack.mjs';
import { log, warn } from '../log.mjs';
import { runFailoverSuite, writeFailoverResults } from './suite.mjs';

/**
 * The failover suite as one pass of a test run: what `npm run test:failover` runs alone and
 * `npm test` after its other passes. Where it cannot run (not root, no namespaces, a package apt
 * cannot install), it is one skipped test with the reason. Answers the counts and the line
 * `failover: N passed, N failed`.
 */
export async function runFailoverPass({ build = true } = {}) {
  const tools = await ensureClusterTools();
  if (tools.unavailable)
    return { passed: 0, failed: 0, skipped: `the failover suite (${tools.unavailable})`, line: 'failover: 0 passed, 0 failed, 1 skipped', failures: [] };
  if (build) await buildApps();
  const started = Date.now();
  let cluster;
  try {
    cluster = await startCluster({
      count: 3,
      binaries: tools.binaries,
      // The load comes from one address: the per-client limits would be what it measures.
      appEnv: { RATE_LIMIT_LIMIT: '10000000', RATE_LIMIT_AUTH_LIMIT: '10000000' },
      gatewayEnv: { GATEWAY_API_RATE_PER_SECOND: '10000', GATEWAY_API_BURST: '10000', GATEWAY_AUTH_RATE_PER_MINUTE: '10000', GATEWAY_AUTH_BURST: '1000' },
    });
    log(`failover: cluster up in ${Math.round((Date.now() - started) / 1000)} s`);
    const { checks, figures } = await runFailoverSuite(cluster);
    writeFailoverResults(figures, {
      command: 'npm run test:failover',
      when: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM; the nodes, the gateway, Prometheus and the load on it`,
      topology:
        '3 nodes (network namespaces): etcd, PostgreSQL 15 under Patroni (synchronous_mode), HAProxy and PgBouncer (transaction pooling), Redis with Sentinel, an API instance and a worker each; nginx in front',
      timing: `Patroni ttl ${PATRONI_TIMING.ttl} s, loop_wait ${PATRONI_TIMING.loop_wait} s, retry_timeout ${PATRONI_TIMING.retry_timeout} s; Sentinel down-after ${SENTINEL_DOWN_AFTER_MS / 1000} s`,
      load: '8 loops through the gateway (HTTPS): article creates, favorites, comments and reads, each answer logged',
    });
    const failures = checks.results.filter((result) => !result.ok).map((result) => `failover: ${result.scenario}: ${result.name}`);
    return { passed: checks.passed, failed: checks.failed, failures, line: `failover: ${checks.passed} passed, ${checks.failed} failed` };
  } catch (error) {
    warn(`failover suite: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    for (const node of cluster?.nodes ?? []) for (const name of ['patroni', 'api', 'worker']) warn(`${node.name} ${name}:\n${node.logTail(name, 15)}`);
    return { passed: 0, failed: 1, failures: [`failover: the suite did not complete (${error.message})`], line: 'failover: 0 passed, 1 failed' };
  } finally {
    await cluster?.stop();
  }
}
