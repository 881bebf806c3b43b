import type { RedisClient } from '@app/redis';

/** What Redis answers for a key after adding hits: the shared count and the times left (ms). */
export interface SharedCount {
  readonly hits: number;
  readonly windowMs: number;
  /** Time left of a block on this key, or 0 when it is not blocked. */
  readonly blockedMs: number;
}

export interface HitBatch {
  readonly key: string;
  readonly hits: number;
  readonly windowMs: number;
  readonly limit: number;
  readonly blockMs: number;
}

/**
 * Adds hits to a fixed window; when the count passes the limit, blocks the key
 * for the block duration and stretches the window to end with the block, so a
 * new window starts when the block ends. Returns { hits, window pttl, block pttl }.
 */
const ADD_HITS = `
local hits = redis.call('INCRBY', KEYS[1], ARGV[1])
local window = redis.call('PTTL', KEYS[1])
if window < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  window = tonumber(ARGV[2])
end
local blocked = redis.call('PTTL', KEYS[2])
if blocked < 0 and hits > tonumber(ARGV[3]) then
  blocked = tonumber(ARGV[4])
  redis.call('SET', KEYS[2], '1', 'PX', blocked)
  if window < blocked then
    redis.call('PEXPIRE', KEYS[1], blocked)
    window = blocked
  end
end
return { hits, window, blocked }`;

type WithAddHits = RedisClient & {
  conduitAddHits(hitsKey: string, blockKey: string, hits: number, windowMs: number, limit: number, blockMs: number): Promise<[number, number, number]>;
};

/** Adds hits to shared fixed windows and answers the counts (SharedHitCounter on Redis; fakes in unit tests). */
export interface HitCounter {
  add(batch: HitBatch): Promise<SharedCount>;
  /** Several keys in one round trip; a key that failed rejects the whole batch. */
  addAll(batches: readonly HitBatch[]): Promise<SharedCount[]>;
}

/**
 * The rate-limit counts every API instance shares: one Lua script per key
 * (atomic), many keys sent together (the connection pipelines them; on a Redis
 * Cluster each goes to the node of its key). Keys are `throttle:{<key>}:hits`
 * and `:blocked` under the client's prefix (the braces keep both in one Redis
 * Cluster slot).
 */
export class SharedHitCounter implements HitCounter {
  private readonly redis: WithAddHits;

  constructor(redis: RedisClient) {
    if (!('conduitAddHits' in redis)) redis.defineCommand('conduitAddHits', { numberOfKeys: 2, lua: ADD_HITS });
    this.redis = redis as WithAddHits;
  }

  async add(batch: HitBatch): Promise<SharedCount> {
    return toCount(await this.redis.conduitAddHits(...args(batch)));
  }

  /**
   * Several keys at once: the scripts are written together without waiting for each other's
   * answers (one round trip per node); a key whose script failed rejects the whole batch.
   */
  async addAll(batches: readonly HitBatch[]): Promise<SharedCount[]> {
    return Promise.all(batches.map((batch) => this.add(batch)));
  }
}

function args({ key, hits, windowMs, limit, blockMs }: HitBatch): [string, string, number, number, number, number] {
  return [`throttle:{${key}}:hits`, `throttle:{${key}}:blocked`, hits, windowMs, limit, blockMs];
}

function toCount([hits, windowMs, blockedMs]: [number, number, number]): SharedCount {
  return { hits, windowMs: Math.max(0, windowMs), blockedMs: Math.max(0, blockedMs) };
}
