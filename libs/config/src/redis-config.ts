/** One Redis server address. */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/**
 * Where Redis is, in one of three shapes (docs/scaling.md):
 * - `standalone`: one server at a URL (`redis://` or `rediss://`, credentials in the URL);
 * - `sentinel`: a master and its replicas watched by Sentinels, which name the current master
 *   (`masterName`) and promote a replica when it fails;
 * - `cluster`: Redis Cluster, keys spread over masters by hash slot, each with replicas.
 */
export type RedisTopology =
  | { readonly kind: 'standalone'; readonly url: string }
  | {
      readonly kind: 'sentinel';
      readonly sentinels: readonly RedisNode[];
      readonly masterName: string;
      /** Credentials and TLS of the Sentinels themselves (they may differ from the data nodes'). */
      readonly sentinelUsername: string | undefined;
      readonly sentinelPassword: string | undefined;
      readonly sentinelTls: boolean;
    }
  | { readonly kind: 'cluster'; readonly nodes: readonly RedisNode[] };

export type RedisTopologyKind = RedisTopology['kind'];

export interface RedisConfig {
  readonly topology: RedisTopology;
  /** Credentials and TLS of the data nodes of a Sentinel or Cluster topology (a standalone server takes them from its URL). */
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly tls: boolean;
  /** Prefix of every key this deployment writes, so several deployments or test runs can share one Redis. */
  readonly keyPrefix: string;
  /**
   * Replicas that must hold a relayed event's job (Redis WAIT) before the outbox marks the event
   * relayed: a failover to a replica then never loses a job whose event was marked. 0 for a
   * standalone server (nothing to wait for), 1 by default with Sentinel or Cluster.
   */
  readonly jobReplicas: number;
}

/**
 * `host:port,host:port` as nodes, or the problems with it. IPv6 hosts are written in brackets
 * (`[::1]:26379`), as in a URL.
 */
export function parseRedisNodes(name: string, value: string, problems: string[]): RedisNode[] {
  const nodes: RedisNode[] = [];
  for (const entry of value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(entry);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) {
      problems.push(`${name} entry "${entry}" must be host:port (IPv6 in brackets: [::1]:6379)`);
      continue;
    }
    nodes.push({ host: match[1].replace(/^\[|\]$/g, ''), port });
  }
  if (nodes.length === 0 && problems.every((problem) => !problem.startsWith(name))) problems.push(`${name} names no node`);
  return nodes;
}
