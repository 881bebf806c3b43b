import { spawnSync } from 'node:child_process';
import { isRoot } from '../paths.mjs';

/**
 * The nodes' network: one Linux network namespace per node, each with a veth pair into one
 * bridge in the root namespace, on a private /24 that only these namespaces use. The root
 * namespace (the gateway, Prometheus, the load) reaches every node at its address; a node cut
 * off (`partition`) is its veth's root end set down. Everything is named with one prefix, so
 * `removeNetwork` finds and removes what an earlier run left behind, even after a crash.
 */
export const PREFIX = 'cdt';
export const BRIDGE = `${PREFIX}-br`;
export const SUBNET = '10.213.0';
export const HOST_ADDRESS = `${SUBNET}.1`;

/** Node `i` (1, 2, ...): its namespace, address and the root end of its link. */
export function nodeNetwork(i) {
  return { name: `n${i}`, namespace: `${PREFIX}-n${i}`, address: `${SUBNET}.${10 + i}`, link: `${PREFIX}-v${i}` };
}

function ip(args, { check = true } = {}) {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (check && result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${(result.stderr || result.stdout).trim()}`);
  return result;
}

/** Why nodes cannot be made here, or undefined when they can (root, iproute2, namespaces allowed). */
export function networkUnavailable() {
  if (!isRoot()) return 'network namespaces need root';
  if (spawnSync('ip', ['-V']).status !== 0) return 'iproute2 (ip) is not installed';
  const probe = `${PREFIX}-probe-${process.pid}`;
  const made = ip(['netns', 'add', probe], { check: false });
  if (made.status !== 0) return `ip netns add failed: ${made.stderr.trim()}`;
  ip(['netns', 'delete', probe], { check: false });
  return undefined;
}

/** The namespaces, the bridge and the links of `count` nodes (after removing any left over). */
export function createNetwork(count) {
  removeNetwork();
  ip(['link', 'add', BRIDGE, 'type', 'bridge']);
  ip(['addr', 'add', `${HOST_ADDRESS}/24`, 'dev', BRIDGE]);
  ip(['link', 'set', BRIDGE, 'up']);
  const nodes = [];
  for (let i = 1; i <= count; i++) {
    const node = nodeNetwork(i);
    ip(['netns', 'add', node.namespace]);
    ip(['link', 'add', node.link, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', node.namespace]);
    ip(['link', 'set', node.link, 'master', BRIDGE]);
    ip(['link', 'set', node.link, 'up']);
    ip(['-n', node.namespace, 'addr', 'add', `${node.address}/24`, 'dev', 'eth0']);
    ip(['-n', node.namespace, 'link', 'set', 'eth0', 'up']);
    ip(['-n', node.namespace, 'link', 'set', 'lo', 'up']);
    nodes.push(node);
  }
  return nodes;
}

/** Cuts node `i` off from every other node and from the root namespace (its link down). */
export function partition(i) {
  ip(['link', 'set', nodeNetwork(i).link, 'down']);
}

export function heal(i) {
  ip(['link', 'set', nodeNetwork(i).link, 'up']);
}

/** The pids of every process running in node `i`'s namespace. */
export function processesOf(namespace) {
  const result = ip(['netns', 'pids', namespace], { check: false });
  return result.status === 0 ? result.stdout.split(/\s+/).filter(Boolean).map(Number) : [];
}

/** Every namespace and link of this prefix, and the processes still in them (SIGKILL). */
export function removeNetwork() {
  const namespaces = ip(['netns', 'list'], { check: false })
    .stdout.split('\n')
    .map((line) => line.split(' ')[0])
    .filter((name) => name.startsWith(`${PREFIX}-`));
  for (const namespace of namespaces) {
    for (const pid of processesOf(namespace)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    ip(['netns', 'delete', namespace], { check: false });
  }
  const links = ip(['-o', 'link', 'show'], { check: false })
    .stdout.split('\n')
    .map((line) => /^\d+:\s+([^:@]+)/.exec(line)?.[1])
    .filter((name) => name?.startsWith(`${PREFIX}-`));
  for (const link of links) ip(['link', 'delete', link], { check: false });
}

/** The command that runs `command` in `namespace` (as `user` when given, e.g. postgres, who may not be root). */
export function inNamespace(namespace, command, args, user) {
  const inner = user ? ['runuser', '-u', user, '--', command, ...args] : [command, ...args];
  return { command: 'ip', args: ['netns', 'exec', namespace, ...inner] };
}
