import { masterConnectionFor } from './hash-slots';
import type { RedisClient } from './redis-connections';

/** Fewer replicas than asked for acknowledged the writes in time: they could be lost by a failover. */
export class ReplicasBehindError extends Error {
  constructor(
    readonly acknowledged: number,
    readonly wanted: number,
  ) {
    super(`${acknowledged} of ${wanted} Redis replicas acknowledged the writes in time`);
    this.name = 'ReplicasBehindError';
  }
}

/**
 * Resolves once `replicas` replicas hold every write `client` has sent so far to the master that
 * serves `key` (Redis WAIT, on that very connection, as WAIT counts the connection's own writes);
 * rejects with ReplicasBehindError when fewer did within `timeoutMs`. Sentinel and Cluster promote
 * the most up-to-date replica, so what one replica acknowledged survives the master's loss.
 */
export async function waitForReplicas(client: RedisClient, key: string, replicas: number, timeoutMs: number): Promise<void> {
  if (replicas === 0) return;
  const connection = masterConnectionFor(client, key);
  if (connection === undefined) throw new ReplicasBehindError(0, replicas);
  const acknowledged = await connection.wait(replicas, timeoutMs);
  if (acknowledged < replicas) throw new ReplicasBehindError(acknowledged, replicas);
}
