import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aptInstall, canAptInstall, findCommand } from '../apt.mjs';
import { databaseCli } from '../build.mjs';
import { ensureCertificate, ensureNginx, writeGatewayConfig } from '../gateway.mjs';
import { log, warn } from '../log.mjs';
import { localStateDir, PROJECT_DIR } from '../paths.mjs';
import { withAdminClient } from '../postgres.mjs';
import { freePort, httpOk, isAlive, startProcess, waitUntil } from '../processes.cjs';
import { createNetwork, heal, HOST_ADDRESS, networkUnavailable, partition, removeNetwork } from './network.mjs';
import { NodeStack, PORTS, POSTGRES_BIN, REDIS_MASTER_NAME } from './node-stack.mjs';

/** What the nodes run, by the command that must exist and the Debian package that has it. */
const TOOLS = [
  { name: 'etcd', command: 'etcd', aptPackage: 'etcd-server' },
  { name: 'patroni', command: 'patroni', aptPackage: 'patroni' },
  { name: 'postgres', path: `${POSTGRES_BIN}/postgres`, aptPackage: 'postgresql-15' },
  { name: 'haproxy', command: 'haproxy', aptPackage: 'haproxy' },
  { name: 'pgbouncer', command: 'pgbouncer', aptPackage: 'pgbouncer' },
  { name: 'redis-server', command: 'redis-server', aptPackage: 'redis-server' },
  { name: 'nginx', command: 'nginx', aptPackage: 'nginx' },
  { name: 'prometheus', command: 'prometheus', aptPackage: 'prometheus' },
];

const locate = (tool) => (tool.path ? (readable(tool.path) ? tool.path : undefined) : findCommand(tool.command));
function readable(path) {
  try {
    readFileSync(path, { flag: 'r' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Why the cluster cannot run here (not root, no namespaces, a package that cannot be installed),
 * after installing what is missing with apt as root; undefined when it can. Returns the binaries.
 */
export async function ensureClusterTools() {
  const unavailable = networkUnavailable();
  if (unavailable) return { unavailable };
  const missing = TOOLS.filter((tool) => locate(tool) === undefined);
  if (missing.length > 0) {
    if (!canAptInstall()) return { unavailable: `missing ${missing.map((tool) => tool.name).join(', ')} and apt-get cannot install them here` };
    await aptInstall([...new Set(missing.map((tool) => tool.aptPackage))]);
  }
  const still = TOOLS.filter((tool) => locate(tool) === undefined);
  if (still.length > 0) return { unavailable: `still missing after apt-get: ${still.map((tool) => tool.name).join(', ')}` };
  return { binaries: Object.fromEntries(TOOLS.map((tool) => [tool.name, locate(tool)])) };
}

/** Where a cluster keeps its files, and the record of what it started (for `down` after a crash). */
export const clusterDir = () => join(localStateDir(), 'cluster');
const recordFile = () => join(clusterDir(), 'cluster.json');

/**
 * The multi-node system on this machine (docs/scaling.md): `count` nodes as network namespaces,
 * each running etcd, PostgreSQL under Patroni (one primary, one synchronous standby), HAProxy and
 * PgBouncer, Redis with a Sentinel, an API instance and a worker; in the root namespace the nginx
 * gateway in front of every node's API, and Prometheus scraping every API and worker with the
 * shipped rules. Resolves once everything answers.
 */
export async function startCluster({ count = 3, binaries, appEnv = {}, gatewayEnv = {} }) {
  const dir = clusterDir();
  await stopRecordedCluster();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const secrets = {
    superuser: randomBytes(16).toString('hex'),
    replication: randomBytes(16).toString('hex'),
    appUser: 'conduit',
    appPassword: randomBytes(16).toString('hex'),
  };
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(48).toString('base64'),
    TRUSTED_PROXIES: HOST_ADDRESS,
    SWAGGER_ENABLED: 'true',
    SHUTDOWN_DRAIN_MS: '2000',
    SHUTDOWN_STOP_ACCEPTING: 'drain-start',
    ...appEnv,
  };
  log(`cluster: ${count} nodes as network namespaces on ${HOST_ADDRESS}/24`);
  createNetwork(count);
  const nodes = Array.from({ length: count }, (_, i) => new NodeStack(i + 1, { dir, count, secrets, appEnv: env }));
  const cluster = new Cluster(nodes, binaries, secrets, dir);
  try {
    for (const node of nodes) node.prepare();
    writeFileSync(recordFile(), JSON.stringify({ pid: process.pid, count, dir }, null, 2));
    await cluster.startInfrastructure();
    await cluster.migrate();
    await cluster.startApps();
    await cluster.startGateway(gatewayEnv);
    await cluster.startPrometheus();
    cluster.record();
  } catch (error) {
    for (const node of nodes) {
      for (const name of node.processes.keys()) warn(`${node.name} ${name}, last lines:\n${node.logTail(name, 12)}`);
    }
    await cluster.stop().catch(() => undefined);
    throw error;
  }
  return cluster;
}

/** Stops what a cluster recorded (its root processes, by pid) and removes every namespace of the prefix. */
export async function stopRecordedCluster() {
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(recordFile(), 'utf8'));
  } catch {
    recorded = undefined;
  }
  // SIGTERM first: nginx's master stops its workers only when it is let to (SIGKILL would orphan them).
  const pids = [recorded?.gatewayPid, recorded?.prometheusPid].filter((pid) => pid && isAlive(pid));
  for (const pid of pids) signal(pid, 'SIGTERM');
  await waitUntil(() => pids.every((pid) => !isAlive(pid)), { what: 'the gateway and Prometheus to stop', timeoutMs: 10_000 }).catch(() => {
    for (const pid of pids) signal(pid, 'SIGKILL');
  });
  removeNetwork();
  return recorded;
}

export class Cluster {
  constructor(nodes, binaries, secrets, dir) {
    this.nodes = nodes;
    this.binaries = binaries;
    this.secrets = secrets;
    this.dir = dir;
    this.root = new Map();
  }

  node(name) {
    return this.nodes.find((node) => node.name === name);
  }

  async startInfrastructure() {
    const [first, ...others] = this.nodes;
    for (const node of this.nodes) node.startEtcd(this.binaries.etcd);
    await waitUntil(async () => (await Promise.all(this.nodes.map((node) => etcdHealthy(node)))).every(Boolean), {
      what: 'etcd to have a quorum',
      timeoutMs: 30_000,
    });
    // The first node bootstraps the PostgreSQL cluster; the others are made standbys from it.
    first.startPatroni(this.binaries.patroni);
    await waitUntil(() => httpOk(first.url(PORTS.patroni, '/primary')), { what: `Patroni on ${first.name} to lead`, timeoutMs: 60_000 });
    await this.createAppDatabase(first);
    for (const node of others) node.startPatroni(this.binaries.patroni);
    await this.waitForMembers(this.nodes.length);
    for (const node of this.nodes) node.startHaproxy(this.binaries.haproxy);
    for (const node of this.nodes) node.startPgbouncer(this.binaries.pgbouncer.replace(/\/pgbouncer$/, ''));
    for (const node of this.nodes) node.startRedis(this.binaries['redis-server']);
    for (const node of this.nodes) node.startSentinel(this.binaries['redis-server']);
    await this.waitForRedis();
  }

  async createAppDatabase(leader) {
    const superuser = `postgres://postgres:${this.secrets.superuser}@${leader.address}:${PORTS.postgres}/postgres`;
    await withAdminClient(superuser, async (client) => {
      await client.query(`CREATE ROLE ${this.secrets.appUser} LOGIN PASSWORD '${this.secrets.appPassword}'`);
      await client.query(`CREATE DATABASE conduit OWNER ${this.secrets.appUser}`);
    });
  }

  /** The members as Patroni's REST API reports them (from any node that answers). */
  async members() {
    const views = [];
    for (const node of this.nodes) {
      const response = await fetch(node.url(PORTS.patroni, '/cluster'), { signal: AbortSignal.timeout(1500) }).catch(() => undefined);
      if (response?.ok) views.push((await response.json()).members);
    }
    // A node that has just come back may still report what it saw before: prefer a view whose leader says it is primary.
    for (const members of views) {
      const leader = this.node(members.find((member) => member.role === 'leader')?.name);
      if (leader && (await httpOk(leader.url(PORTS.patroni, '/primary')))) return members;
    }
    return views[0] ?? [];
  }

  /** Resolves once `count` members run, one leads and a synchronous standby streams from it. */
  async waitForMembers(count, timeoutMs = 120_000) {
    await waitUntil(
      async () => {
        const members = await this.members();
        const running = members.filter((member) => ['running', 'streaming'].includes(member.state));
        return running.length === count && members.some((member) => member.role === 'leader') && members.some((member) => member.role === 'sync_standby');
      },
      { what: `${count} Patroni members with a leader and a synchronous standby`, timeoutMs },
    );
  }

  /** The node whose PostgreSQL Patroni calls leader (as the members' view says: the leader key in etcd). */
  async primary() {
    const leader = (await this.members()).find((member) => member.role === 'leader');
    return leader && this.node(leader.name);
  }

  /** The nodes whose own Patroni says they are primary (GET /primary: 200); more than one is a split brain. */
  async nodesAnsweringPrimary() {
    const answers = await Promise.all(this.nodes.map((node) => httpOk(node.url(PORTS.patroni, '/primary'))));
    return this.nodes.filter((_node, i) => answers[i]);
  }

  async redisMaster() {
    for (const node of this.nodes) {
      const reply = await redisCommand(node.address, PORTS.sentinel, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', REDIS_MASTER_NAME]).catch(() => undefined);
      if (Array.isArray(reply)) return this.nodes.find((candidate) => candidate.address === reply[0]);
    }
    return undefined;
  }

  async waitForRedis(timeoutMs = 60_000) {
    await waitUntil(
      async () => {
        const master = await this.redisMaster();
        if (!master) return false;
        const info = String(await redisCommand(master.address, PORTS.redis, ['INFO', 'replication']).catch(() => ''));
        const online = [...info.matchAll(/slave\d+:.*state=online/g)].length;
        return online === this.nodes.filter((node) => node.processes.has('redis')).length - 1;
      },
      { what: 'Redis with every replica online, known to the Sentinels', timeoutMs },
    );
  }

  /** The migrations (and the role's session defaults) run once, directly on the primary. */
  async migrate() {
    const primary = await this.primary();
    const direct = `postgres://${this.secrets.appUser}:${this.secrets.appPassword}@${primary.address}:${PORTS.postgres}/conduit`;
    await databaseCli(['migrate'], { ...primary.appSettings(), DATABASE_URL: direct, DATABASE_DIRECT_URL: direct, DATABASE_POOLING: 'session' });
  }

  async startApps() {
    for (const node of this.nodes) node.startApps();
    await Promise.all(this.nodes.map((node) => node.appsReady()));
  }

  async startGateway(gatewayEnv) {
    const nginx = await ensureNginx();
    const dir = join(this.dir, 'gateway');
    const httpsPort = await freePort();
    const env = {
      GATEWAY_HTTPS_PORT: String(httpsPort),
      GATEWAY_HTTP_PORT: String(await freePort()),
      ...gatewayEnv,
    };
    const tls = await ensureCertificate({}, localStateDir());
    const { main } = writeGatewayConfig(dir, { env, tls, apiInstances: this.nodes.map((node) => `${node.address}:${PORTS.api}`) });
    const gateway = startProcess('gateway', nginx, ['-p', dir, '-e', join(dir, 'error.log'), '-c', main], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.root.set('gateway', gateway);
    this.gateway = { url: `https://localhost:${httpsPort}`, ca: readFileSync(tls.certificate), certificate: tls.certificate };
    await waitUntil(() => httpOk(`${this.gateway.url}/api/tags`, this.gateway.ca), { what: 'the gateway', timeoutMs: 30_000 });
  }

  /** Prometheus with the shipped configuration, its targets the nodes' API instances and workers, scraping every second. */
  async startPrometheus() {
    const dir = join(this.dir, 'prometheus');
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'prometheus.yml'), this.prometheusConfig());
    writeFileSync(join(dir, 'alerts.yml'), readFileSync(join(PROJECT_DIR, 'docker/prometheus/alerts.yml')));
    const port = await freePort();
    const prometheus = startProcess(
      'prometheus',
      this.binaries.prometheus,
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.root.set('prometheus', prometheus);
    this.prometheus = { url: `http://127.0.0.1:${port}` };
    await waitUntil(() => httpOk(`${this.prometheus.url}/-/ready`), { what: 'Prometheus', timeoutMs: 30_000 });
  }

  /**
   * docker/prometheus/prometheus.yml as shipped, with the nodes as its targets (static instead of
   * Compose's DNS) and every interval at a second, so a fault of seconds shows in it.
   */
  prometheusConfig() {
    const shipped = readFileSync(join(PROJECT_DIR, 'docker/prometheus/prometheus.yml'), 'utf8');
    const targets = (port) => `    static_configs:\n      - targets: [${this.nodes.map((node) => `'${node.address}:${port}'`).join(', ')}]`;
    return shipped
      .replace(/scrape_interval: \S+/, 'scrape_interval: 1s')
      .replace(/evaluation_interval: \S+/, 'evaluation_interval: 1s')
      .replace(
        /( {2}- job_name: conduit-api\n {4}metrics_path: \/metrics\n) {4}dns_sd_configs:\n(?: {6}.*\n)+/,
        (_whole, head) => `${head}${targets(PORTS.api)}\n`,
      )
      .replace(
        /( {2}- job_name: conduit-worker\n {4}metrics_path: \/metrics\n) {4}dns_sd_configs:\n(?: {6}.*\n)+/,
        (_whole, head) => `${head}${targets(PORTS.workerMetrics)}\n`,
      );
  }

  record() {
    writeFileSync(
      recordFile(),
      JSON.stringify(
        {
          pid: process.pid,
          count: this.nodes.length,
          dir: this.dir,
          gatewayPid: this.root.get('gateway')?.pid,
          prometheusPid: this.root.get('prometheus')?.pid,
          gateway: this.gateway?.url,
          certificate: this.gateway?.certificate,
          prometheus: this.prometheus?.url,
          nodes: this.nodes.map((node) => ({ name: node.name, namespace: node.namespace, address: node.address })),
        },
        null,
        2,
      ),
    );
  }

  /** Node `name` dies: every process in its namespace SIGKILLed. */
  async killNode(name) {
    await this.node(name).killAll();
  }

  /** A dead node starts again as its machine would reboot: the same data, its services in order. */
  async restartNode(name) {
    const node = this.node(name);
    node.startEtcd(this.binaries.etcd);
    node.startPatroni(this.binaries.patroni);
    node.startHaproxy(this.binaries.haproxy);
    node.startPgbouncer(this.binaries.pgbouncer.replace(/\/pgbouncer$/, ''));
    node.startRedis(this.binaries['redis-server']);
    node.startSentinel(this.binaries['redis-server']);
    node.startApps();
  }

  partition(name) {
    partition(this.node(name).index);
  }

  heal(name) {
    heal(this.node(name).index);
  }

  /** A planned switchover (Patroni's REST API): the primary steps down gracefully for `candidate`. */
  async switchover(leader, candidate) {
    const response = await fetch(leader.url(PORTS.patroni, '/switchover'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ leader: leader.name, candidate: candidate.name }),
    });
    if (!response.ok) throw new Error(`switchover refused: ${response.status} ${await response.text()}`);
  }

  /** Firing alerts, by name, as Prometheus's HTTP API reports them. */
  async firingAlerts() {
    const response = await fetch(`${this.prometheus.url}/api/v1/alerts`);
    const { data } = await response.json();
    return data.alerts.filter((alert) => alert.state === 'firing');
  }

  /** Copies every node's logs to .local/<name> (kept after `stop`), for a failure to be read later. */
  keepLogs(name) {
    const target = join(localStateDir(), name);
    for (const node of this.nodes) cpSync(join(node.dir, 'logs'), join(target, node.name), { recursive: true });
    warn(`cluster logs kept in ${target}`);
  }

  async stop() {
    await Promise.all(this.nodes.map((node) => node.stop().catch(() => undefined)));
    for (const running of this.root.values()) await running.stop(5000).catch(() => undefined);
    removeNetwork();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}

async function etcdHealthy(node) {
  const response = await fetch(node.url(PORTS.etcdClient, '/health'), { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
  return response?.ok === true && (await response.json()).health === 'true';
}

/** One command to a Redis or Sentinel at `host:port` (ioredis is a dependency of the project). */
export async function redisCommand(host, port, command) {
  const { default: Redis } = await import('ioredis');
  const client = new Redis({ host, port, lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return await client.call(...command);
  } finally {
    client.disconnect();
  }
}
