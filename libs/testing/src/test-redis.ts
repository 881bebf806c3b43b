import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@app/config';
import { QueueConnection, type QueueName, queuePrefix } from '@app/queue';
import { createRedisConnection, type RedisClient } from '@app/redis';
import { Queue } from 'bullmq';
// The one home of the Redis topologies that tests and npm test start (see the file).
import {
  type ClusterTopology,
  type RedisNodeProcess,
  type SentinelTopology,
  type StandaloneTopology,
  startClusterTopology,
  startSentinelTopology,
  startStandalone,
} from '../../../scripts/lib/redis-topologies.cjs';

export type TestRedisKind = 'standalone' | 'sentinel' | 'cluster';
type Topology = StandaloneTopology | SentinelTopology | ClusterTopology;

/**
 * The topology suites with a Redis of their own start: CONDUIT_TEST_REDIS_TOPOLOGY, one server
 * by default (npm test's Cluster pass runs the cache, rate-limit and background-job suites with
 * `cluster`).
 */
export function testRedisKind(): TestRedisKind {
  const kind = process.env.CONDUIT_TEST_REDIS_TOPOLOGY ?? 'standalone';
  if (kind !== 'standalone' && kind !== 'sentinel' && kind !== 'cluster')
    throw new Error(`CONDUIT_TEST_REDIS_TOPOLOGY "${kind}" is not one of standalone, sentinel, cluster`);
  return kind;
}

/**
 * A Redis of the test's own, in any topology (one server, Sentinel, Cluster), on free loopback
 * ports, that the test may crash and start again (same ports, same files: what it acknowledged
 * survives, as on servers that come back). `env()` points the system at it.
 */
export class TestRedis {
  private crashed: RedisNodeProcess[] = [];

  private constructor(private readonly topology: Topology) {}

  static async start(kind: TestRedisKind = testRedisKind()): Promise<TestRedis> {
    const dir = mkdtempSync(join(tmpdir(), `conduit-redis-${kind}-`));
    const topology =
      kind === 'cluster' ? await startClusterTopology({ dir }) : kind === 'sentinel' ? await startSentinelTopology({ dir }) : await startStandalone({ dir });
    return new TestRedis(topology);
  }

  /** One server whose port is chosen but that is not running yet (`resume()` starts it): an outage from the start. */
  static async notStarted(): Promise<TestRedis> {
    const redis = new TestRedis(await startStandalone({ dir: mkdtempSync(join(tmpdir(), 'conduit-redis-late-')), start: false }));
    redis.crashed = redis.servers();
    return redis;
  }

  get kind(): TestRedisKind {
    return this.topology.kind;
  }

  /** What Sentinel or Cluster this is, for the suites that drive them (fail a master over, count keys per node). */
  get sentinel(): SentinelTopology | undefined {
    return this.topology.kind === 'sentinel' ? this.topology : undefined;
  }

  get cluster(): ClusterTopology | undefined {
    return this.topology.kind === 'cluster' ? this.topology : undefined;
  }

  /** The settings that point the API and the worker at it (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES). */
  env(): Record<string, string> {
    return this.topology.env();
  }

  /** A connection of the test's own, as the system makes them (role `commands`, under `keyPrefix`), once it is ready. */
  async connect(keyPrefix = ''): Promise<RedisClient> {
    const config = loadConfig({ ...process.env, ...this.env(), REDIS_KEY_PREFIX: keyPrefix });
    const client = createRedisConnection(config, 'commands', { quiet: true });
    if (client.status !== 'ready') await new Promise((ready) => client.once('ready', ready));
    return client;
  }

  /**
   * A BullMQ queue of the system's on this Redis, as the API and the worker open it (their
   * connection rules and key layout under `keyPrefix`); `close()` also closes its connection.
   */
  queue(name: QueueName, keyPrefix: string): Queue {
    const config = loadConfig({ ...process.env, ...this.env(), REDIS_KEY_PREFIX: keyPrefix });
    const connection = new QueueConnection();
    const queue = new Queue(name, { connection: connection.for(config), prefix: queuePrefix(config, name) });
    queue.on('error', () => undefined); // a probe: while a suite has Redis down, its failures are expected
    const close = queue.close.bind(queue);
    queue.close = async () => {
      await close();
      await connection.onApplicationShutdown();
    };
    return queue;
  }

  /** Commands the masters have processed since they started (INFO stats), for "how many round trips" checks. */
  async commandsProcessed(): Promise<number> {
    const client = await this.connect();
    try {
      const masters = 'nodes' in client ? client.nodes('master') : [client];
      const counts = await Promise.all(masters.map(async (master) => Number(/total_commands_processed:(\d+)/.exec(await master.info('stats'))?.[1])));
      return counts.reduce((sum, count) => sum + count, 0);
    } finally {
      client.disconnect();
    }
  }

  /** Stops every data server abruptly, as an outage would (Sentinels keep running). */
  async crash(): Promise<void> {
    const servers = this.servers().filter((server) => server.process?.running);
    await Promise.all(servers.map((server) => server.kill()));
    this.crashed = servers;
  }

  /** Starts again what `crash()` stopped (or, for `notStarted()`, the server for the first time). */
  async resume(): Promise<void> {
    await Promise.all(this.crashed.map((server) => server.restart()));
    this.crashed = [];
    if (this.topology.kind === 'cluster') await this.topology.ready();
  }

  /** Stops it for good (the end of the test) and removes its files. */
  async stop(): Promise<void> {
    await this.topology.stop();
  }

  private servers(): RedisNodeProcess[] {
    switch (this.topology.kind) {
      case 'standalone':
        return [this.topology.server];
      case 'sentinel':
        return this.topology.servers;
      case 'cluster':
        return this.topology.nodes;
    }
  }
}
