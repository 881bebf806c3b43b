import type { AppConfig } from '@app/config';
import { createRedisConnection, RedisClient, whenReady } from '@app/redis';
import { sleep, testConfig, unique, UNREACHABLE_REDIS, waitUntil } from '@app/testing';
import { CacheGeneration, CacheGenerationRegistry } from './cache-generations';
import { GenerationTokens } from './generation-tokens';

// Generations of this test only, not declared for the compiler: the real ones belong to the API's modules.
const POSTS = 'test-posts' as CacheGeneration;
const PEOPLE = 'test-people' as CacheGeneration;

/** Whether `check` holds within `ms` (polled). */
const eventually = (check: () => boolean, ms: number): Promise<boolean> =>
  waitUntil(check, { timeoutMs: ms, intervalMs: 10 }).then(
    () => true,
    () => false,
  );

/** Two instances' tokens on the run's real Redis (whichever topology), sharing one key prefix per test. */
describe('GenerationTokens (real Redis, two instances)', () => {
  const opened: { tokens: GenerationTokens; redis: RedisClient }[] = [];
  let config: AppConfig;
  let prefix: string;

  const instance = async () => {
    const redis = createRedisConnection(config, 'commands', { quiet: true });
    await whenReady(redis, 10_000);
    const registry = new CacheGenerationRegistry();
    registry.register([POSTS, PEOPLE]);
    const tokens = new GenerationTokens(redis, config, registry);
    tokens.onModuleInit();
    opened.push({ tokens, redis });
    return { tokens, redis };
  };
  const trusted = (tokens: GenerationTokens) => eventually(() => tokens.known([POSTS]) !== undefined, 2000);

  beforeEach(() => {
    prefix = `${process.env.REDIS_KEY_PREFIX}${unique('generations-')}:`;
    config = testConfig({ REDIS_KEY_PREFIX: prefix, CACHE_TIMEOUT_MS: '250' });
  });
  afterEach(async () => {
    for (const { tokens, redis } of opened.splice(0)) {
      await tokens.onModuleDestroy();
      redis.disconnect();
    }
  });

  it('trusts nothing in memory until it is subscribed and has read the tokens', async () => {
    const { tokens } = await instance();
    expect(await eventually(() => tokens.known([POSTS]) === undefined, 1000)).toBe(true); // as soon as the socket closes
    expect(await trusted(tokens)).toBe(true);
    expect(tokens.known([POSTS, PEOPLE])).toEqual(['0', '0']); // never replaced yet
  });

  it("sees another instance's replacement as soon as it is announced, only for the generations replaced", async () => {
    const [a, b] = [await instance(), await instance()];
    await Promise.all([trusted(a.tokens), trusted(b.tokens)]);
    const before = b.tokens.known([POSTS, PEOPLE])!;
    await a.tokens.replace([POSTS]);
    const [postsNow] = a.tokens.known([POSTS])!; // the writer's own copy changes at once
    expect(postsNow).not.toBe(before[0]);
    expect(await eventually(() => b.tokens.known([POSTS])?.[0] === postsNow, 200)).toBe(true);
    expect(b.tokens.known([PEOPLE])).toEqual([before[1]]);
    expect(await b.tokens.read([POSTS, PEOPLE])).toEqual([postsNow, before[1]]);
  });

  it('catches up within its refresh when an announcement is lost', async () => {
    const { tokens, redis } = await instance();
    await trusted(tokens);
    await redis.set(`cache:{generations}:${POSTS}`, 'written-without-announcement');
    expect(await eventually(() => tokens.known([POSTS])?.[0] === 'written-without-announcement', 1500)).toBe(true);
  });

  it('stops trusting its copy when its subscription is lost, and trusts it again once back', async () => {
    const { tokens } = await instance();
    await trusted(tokens);
    const subscriber = (tokens as unknown as { subscriber: RedisClient }).subscriber;
    subscriber.disconnect(true); // drops the connection; ioredis reconnects and subscribes again
    expect(await eventually(() => tokens.known([POSTS]) === undefined, 1000)).toBe(true); // as soon as the socket closes
    expect(await trusted(tokens)).toBe(true);
  });

  it('stops trusting its copy when Redis stops answering its reads', async () => {
    config = testConfig({ ...UNREACHABLE_REDIS, REDIS_KEY_PREFIX: prefix, CACHE_TIMEOUT_MS: '250' });
    const registry = new CacheGenerationRegistry();
    registry.register([POSTS]);
    const redis = createRedisConnection(config, 'commands', { quiet: true });
    const tokens = new GenerationTokens(redis, config, registry);
    tokens.onModuleInit();
    opened.push({ tokens, redis });
    await sleep(700);
    expect(tokens.known([POSTS])).toBeUndefined();
    await expect(tokens.read([POSTS])).rejects.toThrow();
  });
});
