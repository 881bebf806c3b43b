import { chownSync, closeSync, copyFileSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_DIR } from '../paths.mjs';
import { postgresUserIds } from '../postgres.mjs';
import { BUILT, httpOk, startProcess, waitUntil } from '../processes.cjs';
import { inNamespace, nodeNetwork, processesOf } from './network.mjs';

/** Debian's PostgreSQL server binaries (Patroni builds standbys with their pg_basebackup and rewinds with pg_rewind). */
export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

/**
 * Ports on every node's address. PostgreSQL, Patroni's REST API, etcd, HAProxy (the primary, wherever
 * it is), PgBouncer (in front of HAProxy), Redis, Sentinel, the API and the worker's metrics.
 */
export const PORTS = {
  postgres: 5432,
  patroni: 8008,
  etcdClient: 2379,
  etcdPeer: 2380,
  primary: 5000,
  pgbouncer: 6432,
  redis: 6379,
  sentinel: 26379,
  api: 3000,
  workerMetrics: 9464,
};

/**
 * Patroni's timing (docs/scaling.md): a leader that stops renewing its key for `ttl` seconds is
 * replaced; members check every `loop_wait`; DCS and PostgreSQL calls retry for `retry_timeout`
 * (ttl >= loop_wait + 2 x retry_timeout). Tuned for failover in well under 30 s.
 */
export const PATRONI_TIMING = { ttl: 15, loop_wait: 2, retry_timeout: 5 };
/** Sentinel's: a master that does not answer for this long is failed over. */
export const SENTINEL_DOWN_AFTER_MS = 8000;
export const REDIS_MASTER_NAME = 'conduit';

/**
 * Everything one node runs, each process in the node's namespace with its log in the node's
 * directory: etcd (one member), PostgreSQL under Patroni, HAProxy sending to whichever member
 * Patroni's REST API calls primary, PgBouncer in transaction mode in front of it, Redis with a
 * Sentinel, and (`startApps`) an API instance and a worker reaching them through those.
 */
export class NodeStack {
  constructor(index, { dir, count, secrets, appEnv }) {
    Object.assign(this, nodeNetwork(index));
    this.index = index;
    this.dir = join(dir, this.name);
    this.count = count;
    this.secrets = secrets;
    this.appEnv = appEnv;
    this.peers = Array.from({ length: count }, (_, i) => nodeNetwork(i + 1));
    /** name -> RunningProcess, for the processes this object started and that may still run. */
    this.processes = new Map();
  }

  url(port, path = '') {
    return `http://${this.address}:${port}${path}`;
  }

  /** Writes every configuration file (once; a restart reuses them and the data). */
  prepare() {
    const ids = postgresUserIds();
    // The node's directory is traversable (the postgres user reaches its own subdirectories); each service's is private.
    mkdirSync(this.dir, { recursive: true, mode: 0o755 });
    for (const sub of ['etcd', 'postgres', 'pgbouncer', 'redis', 'sentinel', 'logs']) mkdirSync(join(this.dir, sub), { recursive: true, mode: 0o700 });
    // PostgreSQL, Patroni and PgBouncer run as the postgres user: their directories are theirs.
    for (const sub of ['postgres', 'pgbouncer']) chownSync(join(this.dir, sub), ids.uid, ids.gid);
    chownSync(join(this.dir, 'logs'), ids.uid, ids.gid);
    writeFileSync(join(this.dir, 'postgres', 'patroni.yml'), this.patroniConfig(), { mode: 0o600 });
    chownSync(join(this.dir, 'postgres', 'patroni.yml'), ids.uid, ids.gid);
    writeFileSync(join(this.dir, 'haproxy.cfg'), this.haproxyConfig());
    // A copy beside its files: the postgres user may not reach the checkout.
    copyFileSync(join(PROJECT_DIR, 'docker/pgbouncer/entrypoint.sh'), join(this.dir, 'pgbouncer', 'entrypoint.sh'));
    chownSync(join(this.dir, 'pgbouncer', 'entrypoint.sh'), ids.uid, ids.gid);
    const sentinelConfig = join(this.dir, 'sentinel', 'sentinel.conf');
    writeFileSync(
      sentinelConfig,
      [
        `sentinel monitor ${REDIS_MASTER_NAME} ${this.peers[0].address} ${PORTS.redis} 2`,
        `sentinel down-after-milliseconds ${REDIS_MASTER_NAME} ${SENTINEL_DOWN_AFTER_MS}`,
        `sentinel failover-timeout ${REDIS_MASTER_NAME} 10000`,
        `sentinel parallel-syncs ${REDIS_MASTER_NAME} 1`,
        `sentinel announce-ip ${this.address}`,
        '',
      ].join('\n'),
    );
  }

  patroniConfig() {
    const { ttl, loop_wait, retry_timeout } = PATRONI_TIMING;
    const data = join(this.dir, 'postgres');
    const subnet = `${this.address.split('.').slice(0, 3).join('.')}.0/24`;
    return `# Written by scripts/lib/cluster/node-stack.mjs for the local multi-node cluster.
scope: conduit
name: ${this.name}
restapi:
  listen: ${this.address}:${PORTS.patroni}
  connect_address: ${this.address}:${PORTS.patroni}
# Not its own node's etcd member: Patroni 3.0 reads without quorum, and a member that was partitioned
# with this node answers stale data for a while after it returns (the old leader key with it),
# which can make an old primary believe it still leads. use_proxies: exactly these, no discovery.
etcd3:
  hosts: ${this.peers
    .filter((peer) => peer.address !== this.address)
    .map((peer) => `${peer.address}:${PORTS.etcdClient}`)
    .join(',')}
  use_proxies: true
bootstrap:
  dcs:
    ttl: ${ttl}
    loop_wait: ${loop_wait}
    retry_timeout: ${retry_timeout}
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        max_connections: 100
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 256MB
        synchronous_commit: "on"
  initdb:
    - encoding: UTF8
    - data-checksums
  pg_hba:
    - local all all trust
    - host replication replicator ${subnet} scram-sha-256
    - host all all ${subnet} scram-sha-256
    - host all all 127.0.0.1/32 scram-sha-256
postgresql:
  listen: ${this.address},127.0.0.1:${PORTS.postgres}
  connect_address: ${this.address}:${PORTS.postgres}
  data_dir: ${join(data, 'data')}
  bin_dir: ${POSTGRES_BIN}
  pgpass: ${join(data, 'pgpass')}
  authentication:
    superuser:
      username: postgres
      password: "${this.secrets.superuser}"
    replication:
      username: replicator
      password: "${this.secrets.replication}"
    rewind:
      username: postgres
      password: "${this.secrets.superuser}"
  parameters:
    unix_socket_directories: "${data}"
    password_encryption: scram-sha-256
`;
  }

  haproxyConfig() {
    return `# Written by scripts/lib/cluster/node-stack.mjs: the PostgreSQL primary, wherever Patroni says it is.
global
  maxconn 400
defaults
  mode tcp
  timeout connect 2s
  timeout client 30m
  timeout server 30m
  timeout check 1s
listen primary
  bind ${this.address}:${PORTS.primary}
  bind 127.0.0.1:${PORTS.primary}
  option httpchk GET /primary
  http-check expect status 200
  # Checked every second; a member that stops being primary loses its connections at once.
  default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions
${this.peers.map((peer) => `  server ${peer.name} ${peer.address}:${PORTS.postgres} maxconn 100 check port ${PORTS.patroni}`).join('\n')}
`;
  }

  /** Starts `command` in the namespace (as `user`), its output appended to logs/<name>.log. */
  spawn(name, command, args, { user, env = {} } = {}) {
    const log = openSync(join(this.dir, 'logs', `${name}.log`), 'a');
    const { command: ip, args: wrapped } = inNamespace(this.namespace, command, args, user);
    const running = startProcess(`${name} on ${this.name}`, ip, wrapped, {
      stdio: ['ignore', log, log],
      env: { PATH: process.env.PATH, HOME: '/tmp', ...env },
    });
    closeSync(log);
    this.processes.set(name, running);
    return running;
  }

  logTail(name, lines = 30) {
    try {
      return readFileSync(join(this.dir, 'logs', `${name}.log`), 'utf8')
        .trimEnd()
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '';
    }
  }

  startEtcd(binary) {
    const me = `http://${this.address}`;
    this.spawn('etcd', binary, [
      '--name',
      this.name,
      '--data-dir',
      join(this.dir, 'etcd', 'data'),
      '--listen-client-urls',
      `${me}:${PORTS.etcdClient},http://127.0.0.1:${PORTS.etcdClient}`,
      '--advertise-client-urls',
      `${me}:${PORTS.etcdClient}`,
      '--listen-peer-urls',
      `${me}:${PORTS.etcdPeer}`,
      '--initial-advertise-peer-urls',
      `${me}:${PORTS.etcdPeer}`,
      '--initial-cluster',
      this.peers.map((peer) => `${peer.name}=http://${peer.address}:${PORTS.etcdPeer}`).join(','),
      '--initial-cluster-state',
      'new',
      '--initial-cluster-token',
      'conduit',
      // A member that returns from a partition asks before it disrupts the cluster with an election
      // (the clients of the others would see errors and look for another member: maybe that one).
      '--pre-vote=true',
      // Quick to notice a lost member on one machine's network.
      '--heartbeat-interval',
      '100',
      '--election-timeout',
      '1000',
    ]);
  }

  startPatroni(binary) {
    this.spawn('patroni', binary, [join(this.dir, 'postgres', 'patroni.yml')], { user: 'postgres' });
  }

  startHaproxy(binary) {
    this.spawn('haproxy', binary, ['-db', '-f', join(this.dir, 'haproxy.cfg')]);
  }

  startPgbouncer(binaryDir) {
    this.spawn('pgbouncer', 'sh', [join(this.dir, 'pgbouncer', 'entrypoint.sh')], {
      user: 'postgres',
      env: {
        PATH: `${binaryDir}:/usr/bin:/bin`,
        PGBOUNCER_SERVER_HOST: '127.0.0.1',
        PGBOUNCER_SERVER_PORT: String(PORTS.primary),
        PGBOUNCER_USER: this.secrets.appUser,
        PGBOUNCER_PASSWORD: this.secrets.appPassword,
        PGBOUNCER_LISTEN_ADDR: `${this.address},127.0.0.1`,
        PGBOUNCER_LISTEN_PORT: String(PORTS.pgbouncer),
        PGBOUNCER_DEFAULT_POOL_SIZE: '10',
        PGBOUNCER_CONFIG_DIR: join(this.dir, 'pgbouncer'),
      },
    });
  }

  startRedis(binary) {
    const primary = this.peers[0];
    this.spawn('redis', binary, [
      '--port',
      String(PORTS.redis),
      '--bind',
      this.address,
      '127.0.0.1',
      '--dir',
      join(this.dir, 'redis'),
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      '--protected-mode',
      'no',
      // A master cut off from its replicas stops taking writes after 10 s instead of taking writes
      // that a failover elsewhere would throw away.
      '--min-replicas-to-write',
      '1',
      '--min-replicas-max-lag',
      '10',
      ...(this.index === 1 ? [] : ['--replicaof', primary.address, String(PORTS.redis)]),
    ]);
  }

  startSentinel(binary) {
    this.spawn('sentinel', binary, [
      join(this.dir, 'sentinel', 'sentinel.conf'),
      '--sentinel',
      '--port',
      String(PORTS.sentinel),
      '--bind',
      this.address,
      '--protected-mode',
      'no',
    ]);
  }

  /** The settings of this node's API instance and worker. */
  appSettings() {
    const { appUser, appPassword } = this.secrets;
    const credentials = `${encodeURIComponent(appUser)}:${encodeURIComponent(appPassword)}`;
    return {
      ...this.appEnv,
      HOST: '0.0.0.0',
      PORT: String(PORTS.api),
      API_WORKERS: '1',
      DATABASE_URL: `postgres://${credentials}@127.0.0.1:${PORTS.pgbouncer}/conduit`,
      DATABASE_POOLING: 'transaction',
      DATABASE_DIRECT_URL: `postgres://${credentials}@127.0.0.1:${PORTS.primary}/conduit`,
      DATABASE_POOL_SIZE: '10',
      REDIS_SENTINELS: this.peers.map((peer) => `${peer.address}:${PORTS.sentinel}`).join(','),
      REDIS_SENTINEL_NAME: REDIS_MASTER_NAME,
      WORKER_METRICS_PORT: String(PORTS.workerMetrics),
    };
  }

  startApps(node = process.execPath) {
    const env = this.appSettings();
    this.spawn('api', node, [BUILT.api], { env });
    this.spawn('worker', node, [BUILT.worker], { env });
  }

  async appsReady(timeoutMs = 60_000) {
    await waitUntil(() => httpOk(this.url(PORTS.api, '/health/ready')), { what: `the API on ${this.name}`, timeoutMs });
    await waitUntil(() => httpOk(this.url(PORTS.workerMetrics, '/health')), { what: `the worker on ${this.name}`, timeoutMs });
  }

  /** Every process in the namespace, SIGKILLed at once: the node dies as a machine would. */
  async killAll() {
    for (const pid of processesOf(this.namespace)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await Promise.all([...this.processes.values()].map((running) => running.exited));
    this.processes.clear();
  }

  /** Stops the apps gracefully, then the rest (end of a run). */
  async stop() {
    for (const name of ['api', 'worker']) await this.processes.get(name)?.stop(10_000);
    await Promise.all([...this.processes.values()].map((running) => running.stop(10_000)));
    this.processes.clear();
  }
}
