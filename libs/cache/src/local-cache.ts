import { LRUCache } from 'lru-cache';

interface Entry {
  readonly value: unknown;
  /** Its size estimate: the length of its JSON. */
  readonly bytes: number;
}

/**
 * The process's own copy of hot cache entries: lru-cache bounded by an estimate
 * of its size (the entries' JSON length), least recently used out first, each
 * entry for at most the cache TTL. Keys embed generation tokens, so an entry
 * can only be found while its generations are current.
 *
 * Expired entries are dropped as they are found and, at most a few times per TTL,
 * all at once when something is stored: without that, entries nobody reads again
 * (old generations, articles no longer on any page) would sit there until the size
 * bound pushed them out, and the cache would always be full. (lru-cache's own
 * autopurge sets a timer per entry, too much at thousands of stores a second.)
 *
 * Entries are shared by every request that reads them, so they must never be
 * changed: outside production they are frozen, and a change throws.
 */
export class LocalCache {
  private readonly lru: LRUCache<string, Entry> | undefined;
  private purgedAt = Date.now();

  constructor(
    maxBytes: number,
    private readonly ttlMs: number,
    private readonly freeze: boolean,
  ) {
    if (maxBytes === 0) return; // switched off
    this.lru = new LRUCache<string, Entry>({
      maxSize: maxBytes,
      // One huge entry (a long article body) must not push out everything else.
      maxEntrySize: Math.floor(maxBytes / 16),
      sizeCalculation: (entry) => Math.max(1, entry.bytes),
      ttl: ttlMs,
      // Wall-clock time, as the TTL is configured (and as tests move it).
      perf: { now: () => Date.now() },
    });
  }

  get<T>(key: string): T | undefined {
    return this.lru?.get(key)?.value as T | undefined;
  }

  set(key: string, value: unknown): void {
    if (this.lru === undefined) return;
    const bytes = JSON.stringify(value)?.length ?? 0;
    if (bytes > this.lru.maxEntrySize) return;
    this.purgeExpired();
    if (this.freeze) deepFreeze(value);
    this.lru.set(key, { value, bytes });
  }

  /** Forgets everything (the generations can no longer be trusted). */
  clear(): void {
    this.lru?.clear();
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.lru?.size ?? 0, bytes: this.lru?.calculatedSize ?? 0 };
  }

  /** A full sweep (linear in the entries) at most four times per TTL, so amortised over the stores between. */
  private purgeExpired(): void {
    const now = Date.now();
    if (now - this.purgedAt < this.ttlMs / 4) return;
    this.purgedAt = now;
    this.lru!.purgeStale();
  }
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const item of Object.values(value)) deepFreeze(item);
}
