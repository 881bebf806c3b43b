import type { AppConfig } from '@app/config';
import type { Cache } from 'cache-manager';
import type { Counter } from 'prom-client';
import { CacheGeneration, CacheGenerationRegistry } from './cache-generations';
import { CacheService } from './cache.service';
import type { GenerationTokens } from './generation-tokens';

// The generations these tests use, declared as an owning module would (the API's modules declare the same).
declare module './cache-generations' {
  interface CacheGenerations {
    articles: true;
    users: true;
  }
}

/** A Redis tier in a Map, and tokens that are always known: what the service does with them. */
function setUp() {
  const stored = new Map<string, unknown>();
  const redisCalls: string[] = [];
  const redis = {
    get: async (key: string) => {
      redisCalls.push(`get ${key}`);
      return stored.get(key);
    },
    set: async (key: string, value: unknown) => {
      redisCalls.push(`set ${key}`);
      stored.set(key, value);
    },
  } as unknown as Cache;
  const tokens = new Map<CacheGeneration, string>([
    ['articles', 'a1'],
    ['users', 'u1'],
  ]);
  const generations = {
    known: (names: readonly CacheGeneration[]) => names.map((name) => tokens.get(name)!),
    read: async () => [],
    replace: async (names: readonly CacheGeneration[]) => names.forEach((name) => tokens.set(name, `${tokens.get(name)}'`)),
  } as unknown as GenerationTokens;
  const results: string[] = [];
  const counter = { inc: (labels: { result: string; tier: string }) => results.push(`${labels.result}/${labels.tier}`) } as unknown as Counter<string>;
  const config = { cacheLocalMaxMiB: 1, cacheTtlSeconds: 60, cacheTimeoutMs: 100, isProduction: true } as AppConfig;
  const registry = new CacheGenerationRegistry();
  registry.register(['articles', 'users']);
  return { service: new CacheService(redis, generations, registry, config, counter), stored, redisCalls, results, registry };
}

describe('CacheService', () => {
  it('refuses a generation no module registered, before touching either tier (both are absent here)', async () => {
    const registry = new CacheGenerationRegistry();
    registry.register(['users']);
    const service = new CacheService(
      {} as Cache,
      {} as GenerationTokens,
      registry,
      { cacheLocalMaxMiB: 1, cacheTtlSeconds: 60, cacheTimeoutMs: 100, isProduction: true } as AppConfig,
      { inc: () => undefined } as unknown as Counter<string>,
    );
    await expect(service.getOrLoad('article', 'x', ['articles'], async () => 1)).rejects.toThrow(/cache generation "articles" is not registered/);
    await expect(service.bump('articles')).rejects.toThrow(/not registered/);
    expect(registry.all()).toEqual(['users']);
  });

  it('loads a missing entry once however many requests wait for it, then answers from memory', async () => {
    const { service, redisCalls, results } = setUp();
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { tags: ['a'] };
    };
    const answers = await Promise.all(Array.from({ length: 10 }, () => service.getOrLoad('tags', 'popular', ['articles'], load)));
    expect(loads).toBe(1);
    expect(new Set(answers).size).toBe(1);
    expect(results).toEqual(['coalesced/none', ...Array(8).fill('coalesced/none'), 'miss/none'].sort());
    redisCalls.length = 0;
    expect(await service.getOrLoad('tags', 'popular', ['articles'], load)).toEqual({ tags: ['a'] });
    expect(redisCalls).toEqual([]);
    expect(results.at(-1)).toBe('hit/local');
  });

  it('finds what another instance stored in Redis, and misses after a bump', async () => {
    const { service, stored, results } = setUp();
    stored.set('article:a1.u1:my-slug', { slug: 'my-slug' });
    expect(await service.getOrLoad('article', 'my-slug', ['articles', 'users'], async () => undefined)).toEqual({ slug: 'my-slug' });
    expect(results).toEqual(['hit/redis']);
    await service.bump('articles');
    expect(await service.getOrLoad('article', 'my-slug', ['articles', 'users'], async () => ({ slug: 'fresh' }))).toEqual({ slug: 'fresh' });
  });

  it('does not cache undefined (nothing found)', async () => {
    const { service } = setUp();
    let loads = 0;
    for (let i = 0; i < 2; i++) await service.getOrLoad('profile', 'nobody', ['users'], async () => void loads++);
    expect(loads).toBe(2);
  });
});
