import calculateSlot from 'cluster-key-slot';
import { Cluster } from 'ioredis';
import type { RedisClient } from './redis-connections';

/**
 * Keys grouped so that each group may go into one multi-key command (MGET, a script, MULTI):
 * on a Cluster, by hash slot (a command may not cross slots); elsewhere, all together.
 * Each group lists the keys' positions in `keys`.
 */
export function groupBySlot(client: RedisClient, keys: readonly string[]): number[][] {
  if (!isCluster(client)) return keys.length === 0 ? [] : [keys.map((_key, i) => i)];
  const groups = new Map<number, number[]>();
  keys.forEach((key, i) => {
    const slot = calculateSlot(key);
    const group = groups.get(slot);
    if (group) group.push(i);
    else groups.set(slot, [i]);
  });
  return [...groups.values()];
}

/**
 * The connection to the master that serves `key`: the client itself, or on a Cluster the node
 * that holds the key's slot (for commands about a connection's own writes, such as WAIT). `key`
 * is the full key, prefix included.
 */
export function masterConnectionFor(client: RedisClient, key: string): RedisClient | undefined {
  if (!isCluster(client)) return client;
  const masterKey = client.slots[calculateSlot(key)]?.[0];
  return client.nodes('master').find((node) => `${node.options.host}:${node.options.port}` === masterKey);
}

/** Whether `client` is a Cluster (BullMQ hands out its connections behind a proxy that says so). */
function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster || (client as { isCluster?: boolean }).isCluster === true;
}
