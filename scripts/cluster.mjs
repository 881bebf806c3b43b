#!/usr/bin/env node
/**
 * `npm run cluster -- up|down|status`: the system on several nodes on this machine (docs/scaling.md),
 * each node a Linux network namespace (root only) running etcd, PostgreSQL under Patroni, HAProxy,
 * PgBouncer, Redis with a Sentinel, an API instance and a worker, behind one nginx gateway, with
 * Prometheus scraping every node.
 *
 *   up      builds, starts the nodes, prints the gateway's URL, runs until Ctrl+C (then stops all)
 *   down    stops a cluster started earlier (also after a crash) and removes every namespace and link
 *   status  what runs: members, roles, the Redis master, each node's API
 *
 * Options: --nodes N (3), --skip-build.
 */
import { parseArgs } from 'node:util';
import { ensureDependencies } from './lib/dependencies.mjs';
import { log, warn } from './lib/log.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { nodes: { type: 'string', default: '3' }, 'skip-build': { type: 'boolean', default: false } },
});
const command = positionals[0] ?? 'status';
await ensureDependencies();
const { ensureClusterTools, startCluster, stopRecordedCluster, clusterDir } = await import('./lib/cluster/cluster.mjs');
const { describeCluster } = await import('./lib/cluster/status.mjs');

switch (command) {
  case 'up': {
    const tools = await ensureClusterTools();
    if (tools.unavailable) {
      warn(`cannot start the cluster: ${tools.unavailable}`);
      process.exit(1);
    }
    if (!values['skip-build']) await (await import('./lib/build.mjs')).buildApps();
    const cluster = await startCluster({ count: Number(values.nodes), binaries: tools.binaries });
    log(`gateway:    ${cluster.gateway.url}/api   (self-signed: curl --cacert ${cluster.gateway.certificate} ...)`);
    log(`prometheus: ${cluster.prometheus.url}`);
    for (const line of await describeCluster(cluster)) log(line);
    log('Stop with Ctrl+C, or `npm run cluster -- down` from another shell.');
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      log('stopping the cluster...');
      void cluster.stop().finally(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    break;
  }
  case 'down': {
    const recorded = await stopRecordedCluster();
    if (recorded?.pid && recorded.pid !== process.pid) {
      try {
        process.kill(recorded.pid, 'SIGTERM');
      } catch {
        // the `up` that started it is gone already
      }
    }
    (await import('node:fs')).rmSync(clusterDir(), { recursive: true, force: true });
    log('cluster down: no namespace, link or process of it is left');
    break;
  }
  case 'status':
    for (const line of await describeCluster()) log(line);
    break;
  default:
    warn(`unknown command "${command}": use up, down or status`);
    process.exit(2);
}
