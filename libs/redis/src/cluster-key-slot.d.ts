// cluster-key-slot (ioredis's own slot function) ships no types.
declare module 'cluster-key-slot' {
  /** The Redis Cluster hash slot (0-16383) of a key: CRC16 of its first {hash tag}, or of the whole key. */
  export default function calculateSlot(key: string): number;
}
