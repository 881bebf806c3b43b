import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpOk } from '../processes.cjs';
import { clusterDir, redisCommand } from './cluster.mjs';
import { nodeNetwork } from './network.mjs';
import { PORTS, REDIS_MASTER_NAME } from './node-stack.mjs';

/** Lines that say what a cluster runs: from the running `cluster`, or from the record a running `up` left. */
export async function describeCluster(cluster) {
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(join(clusterDir(), 'cluster.json'), 'utf8'));
  } catch {
    return ['no cluster is recorded as running (npm run cluster -- up starts one)'];
  }
  const nodes = cluster?.nodes ?? Array.from({ length: recorded.count }, (_, i) => nodeNetwork(i + 1));
  const lines = [];
  if (recorded.gateway) lines.push(`gateway ${recorded.gateway} (certificate ${recorded.certificate}), prometheus ${recorded.prometheus}`);
  let members = [];
  for (const node of nodes) {
    const response = await fetch(`http://${node.address}:${PORTS.patroni}/cluster`, { signal: AbortSignal.timeout(1500) }).catch(() => undefined);
    if (response?.ok) {
      members = (await response.json()).members;
      break;
    }
  }
  let redisMaster;
  for (const node of nodes) {
    const reply = await redisCommand(node.address, PORTS.sentinel, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', REDIS_MASTER_NAME]).catch(() => undefined);
    if (Array.isArray(reply)) {
      redisMaster = reply[0];
      break;
    }
  }
  for (const node of nodes) {
    const member = members.find((each) => each.name === node.name);
    const api = (await httpOk(`http://${node.address}:${PORTS.api}/health/ready`)) ? 'ready' : 'down';
    const postgres = member ? `${member.role} (${member.state}, lag ${member.lag ?? 0})` : 'unknown';
    lines.push(`${node.name} ${node.address}: PostgreSQL ${postgres}; Redis ${redisMaster === node.address ? 'master' : 'replica'}; API ${api}`);
  }
  return lines;
}
