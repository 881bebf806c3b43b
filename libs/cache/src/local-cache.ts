/** At most this many expired entries are dropped per store. */
const SWEEP_PER_STORE = 8;

interface Entry {
  readonly value: unknown;
  readonly bytes: number;
  readonly expiresAt: number;
}

/**
 * The process's own copy of hot cache entries: a map bounded by an estimate
 * of its size (the entries' JSON length), least recently used out first, each
 * entry for at most the cache TTL. Keys embed generation tokens, so an entry
 * can only be found while its generations are current.
 *
 * Expired entries are dropped as they are found and, from the least recently
 * used end, whenever something is stored: without that, entries nobody reads
 * again (old generations, articles no longer on any page) would sit there until
 * the size bound pushed them out, and the cache would always be full.
 *
 * Entries are shared by every request that reads them, so they must never be
 * changed: outside production they are frozen, and a change throws.
 */
export class LocalCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly ttlMs: number,
    private readonly freeze: boolean,
  ) {}

  get<T>(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= Date.now()) {
      this.bytes -= entry.bytes;
      return undefined;
    }
    this.entries.set(key, entry); // now the most recently used
    return entry.value as T;
  }

  set(key: string, value: unknown): void {
    if (this.maxBytes === 0) return;
    const bytes = JSON.stringify(value)?.length ?? 0;
    // One huge entry (a long article body) must not push out everything else.
    if (bytes > this.maxBytes / 16) return;
    const now = Date.now();
    this.dropExpired(now);
    this.remove(key);
    if (this.freeze) deepFreeze(value);
    this.entries.set(key, { value, bytes, expiresAt: now + this.ttlMs });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  /** Forgets everything (the generations can no longer be trusted). */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  /**
   * Drops expired entries at the least recently used end, a few per call (amortised: every
   * store removes up to that many). An entry read within its TTL is further back and is
   * dropped when read after it expired, or once it reaches the end.
   */
  private dropExpired(now: number): void {
    let checked = 0;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now || checked++ === SWEEP_PER_STORE) return;
      this.entries.delete(key);
      this.bytes -= entry.bytes;
    }
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const item of Object.values(value)) deepFreeze(item);
}
