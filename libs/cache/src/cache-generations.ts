import { Injectable } from '@nestjs/common';

/**
 * The generations cached data can depend on (docs/caching.md): a write to one replaces its
 * token, and every entry that depends on it is read no more. The module that owns the data
 * declares each of its generations twice, for the compiler and at run time, beside its @Module:
 *
 *     declare module '@app/cache/cache-generations' {
 *       interface CacheGenerations {
 *         bookmarks: true; // what it covers
 *       }
 *     }
 *     @Module({ imports: [CacheModule.forFeature(['bookmarks'])], ... })
 *
 * So this library names no domain, a dependency on a generation no module declares does not
 * compile, and one declared but not registered fails on first use (CacheGenerationRegistry).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface CacheGenerations {}

export type CacheGeneration = keyof CacheGenerations;

/** The generations the modules registered (CacheModule.forFeature): all of them are replaced after a Redis outage. */
@Injectable()
export class CacheGenerationRegistry {
  private readonly names = new Set<CacheGeneration>();
  private list: readonly CacheGeneration[] = [];

  register(generations: readonly CacheGeneration[]): void {
    for (const generation of generations) this.names.add(generation);
    this.list = [...this.names];
  }

  all(): readonly CacheGeneration[] {
    return this.list;
  }

  /** Throws for a generation no module registered: its token would never be replaced after an outage. */
  check(generations: readonly CacheGeneration[]): void {
    for (const generation of generations) {
      if (!this.names.has(generation))
        throw new Error(`cache generation "${generation}" is not registered: its owning module imports CacheModule.forFeature(['${generation}'])`);
    }
  }
}
