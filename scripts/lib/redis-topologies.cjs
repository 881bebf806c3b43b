'use strict';
/**
 * Redis topologies on loopback, from Debian's redis-server: one server, a master with replicas
 * watched by three Sentinels, or a six-node Cluster (docs/scaling.md). The one home for starting
 * them: `npm test`'s Cluster pass (scripts/test.mjs) and the suites (libs/testing) both use it.
 * CommonJS for the same reason as processes.cjs, beside which .dependency-cruiser.cjs lets
 * libs/testing reach it. Every process is a child of the caller, on a free port, with its files
 * in `dir`; `stop()` stops all of them.
 */
const { existsSync, mkdirSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { freePort, startProcess, waitUntil } = require('./processes.cjs');

/** The redis-server and redis-cli binaries (Debian's packages redis-server and redis-tools). */
function redisBinary(name) {
  for (const dir of ['/usr/bin', '/usr/local/bin', '/usr/sbin', '/bin']) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(`${name} is not installed (apt-get install -y redis-server)`);
}

/** A command to one node that must answer, with ioredis (a dependency of the project). */
async function ask(port, ...command) {
  const Redis = require('ioredis');
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return await client.call(...command);
  } finally {
    client.disconnect();
  }
}

/**
 * @typedef {object} RedisNodeProcess
 * @property {number} port
 * @property {string} address 127.0.0.1:port
 * @property {import('./processes.cjs').RunningProcess} process
 * @property {() => Promise<void>} kill SIGKILL: a crash
 * @property {() => void} pause SIGSTOP: the process stops answering, its connections stay open
 * @property {() => void} unpause SIGCONT
 * @property {(extraArgs?: string[]) => Promise<void>} restart starts it again on the same port and files (after a kill),
 *   with `extraArgs` added for this start (e.g. `--replicaof` the current master)
 * @property {() => Promise<void>} stop
 */

/**
 * One redis-server (or Sentinel, with `sentinel: true` and a config file) on `port`, once it
 * accepts connections. Append-only file with fsync on every write: what it acknowledged survives
 * its crash, as on a server that comes back.
 * With `start: false`, the node is made but not started (`restart()` starts it): an outage from the start.
 * @param {{ port: number, dir: string, args?: string[], configFile?: string, sentinel?: boolean, start?: boolean }} options
 * @returns {Promise<RedisNodeProcess>}
 */
async function startRedisNode({ port, dir, args = [], configFile, sentinel = false, start = true }) {
  mkdirSync(dir, { recursive: true });
  const argv = [
    ...(configFile ? [configFile] : []),
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--logfile',
    '',
    ...(sentinel ? ['--sentinel'] : ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always']),
    ...args,
  ];
  /** @type {RedisNodeProcess} */
  const node = {
    port,
    address: `127.0.0.1:${port}`,
    process: /** @type {any} */ (undefined),
    kill: () => node.process.kill(),
    pause: () => node.process.child.kill('SIGSTOP'),
    unpause: () => node.process.child.kill('SIGCONT'),
    restart: async (extraArgs = []) => {
      node.process = startProcess(`redis on ${port}`, redisBinary('redis-server'), [...argv, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
      await waitUntil(
        () => {
          if (!node.process.running) throw new Error(`redis on ${port} exited: ${node.process.output().slice(-500)}`);
          return /Ready to accept connections|Sentinel ID is/.test(node.process.output());
        },
        { what: `redis on ${port}`, timeoutMs: 15_000 },
      );
    },
    stop: async () => {
      if (!node.process?.running) return;
      node.process.child.kill('SIGCONT'); // a paused process cannot act on SIGTERM
      await node.process.stop(5000);
    },
  };
  if (start) await node.restart();
  return node;
}

/**
 * @typedef {object} StandaloneTopology
 * @property {'standalone'} kind
 * @property {RedisNodeProcess} server
 * @property {() => Record<string, string>} env the settings that point the system at it
 * @property {() => Promise<void>} stop
 */

/**
 * One server; with `start: false` not started yet (`server.restart()` starts it).
 * @param {{ dir: string, start?: boolean }} options
 * @returns {Promise<StandaloneTopology>}
 */
async function startStandalone({ dir, start = true }) {
  const server = await startRedisNode({ port: await freePort(), dir, start });
  return {
    kind: 'standalone',
    server,
    env: () => ({ REDIS_URL: `redis://${server.address}`, REDIS_SENTINELS: '', REDIS_CLUSTER_NODES: '' }),
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * @typedef {object} SentinelTopology
 * @property {'sentinel'} kind
 * @property {string} masterName
 * @property {RedisNodeProcess[]} servers the master first, then the replicas (as started: a failover swaps roles)
 * @property {RedisNodeProcess[]} sentinels
 * @property {() => Record<string, string>} env
 * @property {() => Promise<RedisNodeProcess>} master the server the Sentinels name as master now
 * @property {(previous: RedisNodeProcess) => Promise<RedisNodeProcess>} masterOtherThan resolves once the Sentinels name another master than `previous`
 * @property {() => Promise<void>} failover asks a Sentinel for a failover (SENTINEL FAILOVER), as an operator would
 * @property {() => Promise<void>} inSync resolves once the master has every running replica online and up to date
 * @property {() => Promise<void>} cutReplication closes the master's links to its replicas (CLIENT KILL TYPE replica): with a
 *   replica held back (`pause()`), nothing written after this reaches it, not even through the socket's buffers
 * @property {() => Promise<void>} stop
 */

/**
 * A master, `replicas` replicas and three Sentinels (quorum 2). A master that does not answer
 * for `downAfterMs` is failed over. Resolves once every Sentinel sees the replicas and the
 * other Sentinels, so a failover can start at once.
 * @param {{ dir: string, replicas?: number, masterName?: string, downAfterMs?: number, failoverTimeoutMs?: number }} options
 * @returns {Promise<SentinelTopology>}
 */
async function startSentinelTopology({ dir, replicas = 1, masterName = 'conduit', downAfterMs = 1000, failoverTimeoutMs = 5000 }) {
  /** @type {RedisNodeProcess[]} */
  const servers = [];
  /** @type {RedisNodeProcess[]} */
  const sentinels = [];
  const stop = async () => {
    for (const node of [...sentinels, ...servers]) await node.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const master = await startRedisNode({ port: await freePort(), dir: join(dir, 'server-0') });
    servers.push(master);
    for (let i = 1; i <= replicas; i++) {
      const port = await freePort();
      servers.push(await startRedisNode({ port, dir: join(dir, `server-${i}`), args: ['--replicaof', '127.0.0.1', String(master.port)] }));
    }
    // Online: past the initial sync (a replica still loading answers no WAIT).
    await waitUntil(async () => [...String(await ask(master.port, 'INFO', 'replication')).matchAll(/slave\d+:.*state=online/g)].length === replicas, {
      what: 'the replicas to be in sync',
    });
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const sentinelDir = join(dir, `sentinel-${i}`);
      mkdirSync(sentinelDir, { recursive: true });
      // Sentinel rewrites its config file with what it learns: a file of its own.
      const configFile = join(sentinelDir, 'sentinel.conf');
      writeFileSync(
        configFile,
        [
          `sentinel monitor ${masterName} 127.0.0.1 ${master.port} 2`,
          `sentinel down-after-milliseconds ${masterName} ${downAfterMs}`,
          `sentinel failover-timeout ${masterName} ${failoverTimeoutMs}`,
          `sentinel parallel-syncs ${masterName} 1`,
          '',
        ].join('\n'),
      );
      sentinels.push(await startRedisNode({ port, dir: sentinelDir, configFile, sentinel: true }));
    }
    await waitUntil(
      async () => {
        for (const sentinel of sentinels) {
          const fields = /** @type {string[]} */ (await ask(sentinel.port, 'SENTINEL', 'MASTER', masterName));
          const info = Object.fromEntries(fields.flatMap((value, i) => (i % 2 === 0 ? [[value, fields[i + 1]]] : [])));
          if (Number(info['num-slaves']) !== replicas || Number(info['num-other-sentinels']) !== 2) return false;
        }
        return true;
      },
      { what: 'the Sentinels to see the replicas and each other', timeoutMs: 30_000 },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  /** @returns {Promise<RedisNodeProcess>} */
  const master = async () => {
    for (const sentinel of sentinels) {
      const [, port] = /** @type {string[]} */ (await ask(sentinel.port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', masterName).catch(() => []));
      const current = servers.find((server) => String(server.port) === port);
      if (current) return current;
    }
    throw new Error('no Sentinel names a master');
  };
  return {
    kind: 'sentinel',
    masterName,
    servers,
    sentinels,
    env: () => ({
      REDIS_SENTINELS: sentinels.map((sentinel) => sentinel.address).join(','),
      REDIS_SENTINEL_NAME: masterName,
      REDIS_CLUSTER_NODES: '',
    }),
    master,
    masterOtherThan: (previous) =>
      waitUntil(
        async () => {
          const current = await master().catch(() => undefined);
          return current !== previous && current;
        },
        { what: `the Sentinels to promote another master than ${previous.address}`, timeoutMs: 30_000 },
      ),
    failover: async () => {
      await ask(sentinels[0].port, 'SENTINEL', 'FAILOVER', masterName);
    },
    inSync: async () => {
      const replicas = servers.filter((server) => server.process?.running).length - 1;
      const offsetOf = (info) => Number(/master_repl_offset:(\d+)/.exec(info)?.[1]);
      // Everything written before this call: the Sentinels keep writing, so the offsets never stand still.
      const target = offsetOf(String(await ask((await master()).port, 'INFO', 'replication')));
      await waitUntil(
        async () => {
          const info = String(await ask((await master()).port, 'INFO', 'replication'));
          const online = [...info.matchAll(/slave\d+:.*state=online,offset=(\d+)/g)].filter((match) => Number(match[1]) >= target);
          return online.length === replicas;
        },
        // A returning old master is converted by the Sentinels some seconds after it is up, then synced.
        { what: 'the replicas to be online and up to date', timeoutMs: 60_000 },
      );
    },
    cutReplication: async () => {
      await ask((await master()).port, 'CLIENT', 'KILL', 'TYPE', 'replica');
    },
    stop,
  };
}

/**
 * @typedef {object} ClusterTopology
 * @property {'cluster'} kind
 * @property {RedisNodeProcess[]} nodes
 * @property {() => Record<string, string>} env
 * @property {() => Promise<number[]>} masters the ports of the nodes that are masters now
 * @property {() => Promise<void>} ready resolves once every running node reports the cluster ok (after a restart, say)
 * @property {() => Promise<void>} stop
 */

/**
 * A Redis Cluster of `masters` masters with `replicasPerMaster` replicas each, joined with
 * `redis-cli --cluster create`, once every node reports the cluster ok.
 * @param {{ dir: string, masters?: number, replicasPerMaster?: number, nodeTimeoutMs?: number }} options
 * @returns {Promise<ClusterTopology>}
 */
async function startClusterTopology({ dir, masters = 3, replicasPerMaster = 1, nodeTimeoutMs = 2000 }) {
  /** @type {RedisNodeProcess[]} */
  const nodes = [];
  const stop = async () => {
    for (const node of nodes) await node.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const ready = () =>
    waitUntil(
      async () => {
        for (const node of nodes.filter((each) => each.process?.running)) {
          if (!/cluster_state:ok/.test(String(await ask(node.port, 'CLUSTER', 'INFO')))) return false;
        }
        return true;
      },
      { what: 'the cluster to be ok on every node', timeoutMs: 30_000 },
    );
  try {
    const count = masters * (1 + replicasPerMaster);
    for (let i = 0; i < count; i++) {
      const port = await clusterPort();
      const args = ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', String(nodeTimeoutMs)];
      nodes.push(await startRedisNode({ port, dir: join(dir, `node-${i}`), args }));
    }
    const create = startProcess(
      'redis-cli --cluster create',
      redisBinary('redis-cli'),
      ['--cluster', 'create', ...nodes.map((node) => node.address), '--cluster-replicas', String(replicasPerMaster), '--cluster-yes'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const code = await create.exited;
    if (code !== 0) throw new Error(`redis-cli --cluster create failed (${code}): ${create.output().slice(-1000)}`);
    await ready();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    kind: 'cluster',
    nodes,
    env: () => ({ REDIS_CLUSTER_NODES: nodes.map((node) => node.address).join(','), REDIS_SENTINELS: '' }),
    masters: async () => {
      const running = nodes.find((node) => node.process?.running);
      const lines = String(await ask(running?.port ?? 0, 'CLUSTER', 'NODES'))
        .trim()
        .split('\n');
      // <id> <ip:port@cport[,hostname]> <flags> ...: masters that are not failed
      return lines
        .map((line) => line.split(' '))
        .filter(([, , flags = '']) => flags.split(',').includes('master') && !flags.split(',').some((flag) => flag.startsWith('fail')))
        .map(([, address = '']) => Number(/:(\d+)@/.exec(address)?.[1]));
    },
    ready,
    stop,
  };
}

/** A free port whose cluster bus port (port + 10000) is a port too. */
async function clusterPort() {
  for (;;) {
    const port = await freePort();
    if (port + 10_000 <= 65_535) return port;
  }
}

module.exports = { redisBinary, startRedisNode, startStandalone, startSentinelTopology, startClusterTopology };
