import { TooManyRequestsError } from '@app/errors';
import { createRedisConnection, RedisClient, whenReady } from '@app/redis';
import { testConfig, unique, UNREACHABLE_REDIS } from '@app/testing';
import { LoginLockout } from './login-lockout';

const RULES = { threshold: 3, accountThreshold: 6, baseSeconds: 30, maxSeconds: 900, windowSeconds: 900 };

/** The lockout on the run's real Redis, each test under a key prefix of its own. */
describe('LoginLockout (real Redis)', () => {
  const opened: RedisClient[] = [];
  /** A lockout with RULES on the run's Redis (whichever topology), or on one that does not answer. */
  const lockoutOn = async (redis: 'run' | 'unreachable' = 'run') => {
    const config = testConfig({
      ...(redis === 'unreachable' ? UNREACHABLE_REDIS : {}),
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}${unique('lockout-')}:`,
      LOGIN_LOCKOUT_THRESHOLD: String(RULES.threshold),
      LOGIN_LOCKOUT_ACCOUNT_THRESHOLD: String(RULES.accountThreshold),
      LOGIN_LOCKOUT_BASE_SECONDS: String(RULES.baseSeconds),
      LOGIN_LOCKOUT_MAX_SECONDS: String(RULES.maxSeconds),
      LOGIN_FAILURE_WINDOW_SECONDS: String(RULES.windowSeconds),
    });
    const connection = createRedisConnection(config, 'commands', { quiet: true });
    opened.push(connection);
    if (redis === 'run') await whenReady(connection, 10_000);
    return { lockout: new LoginLockout(connection, config), redis: connection };
  };
  afterAll(() => opened.forEach((redis) => redis.disconnect()));

  /** Whether an attempt is let through to the password check; the wait in seconds when not. */
  const attempt = (lockout: LoginLockout, email: string, client: string) =>
    lockout.beginAttempt(email, client).then(
      () => 'checked' as const,
      (error: unknown) => {
        if (error instanceof TooManyRequestsError) return error.retryAfterSeconds;
        throw error;
      },
    );

  it('lets a client fail up to the threshold, then makes it wait, doubling the wait with each further failure', async () => {
    const { lockout, redis } = await lockoutOn();
    for (let i = 0; i < RULES.threshold; i++) expect(await attempt(lockout, 'jake@example.com', 'client-1')).toBe('checked');
    expect(await attempt(lockout, 'jake@example.com', 'client-1')).toBe(RULES.baseSeconds);
    await redis.del(lockout.keys('jake@example.com', 'client-1')[0]); // the wait ran out
    expect(await attempt(lockout, 'jake@example.com', 'client-1')).toBe('checked');
    expect(await attempt(lockout, 'jake@example.com', 'client-1')).toBe(RULES.baseSeconds * 2);
  });

  it('counts the email however it is written, and never locks the owner out from elsewhere', async () => {
    const { lockout } = await lockoutOn();
    for (let i = 0; i < RULES.threshold; i++) await attempt(lockout, 'Jake@Example.com ', 'attacker');
    expect(await attempt(lockout, 'jake@example.com', 'attacker')).toBe(RULES.baseSeconds);
    expect(await attempt(lockout, 'jake@example.com', 'owner')).toBe('checked');
  });

  it('lifts the wait and takes the attempt back when the password was right', async () => {
    const { lockout, redis } = await lockoutOn();
    for (let i = 0; i < RULES.threshold; i++) await attempt(lockout, 'jake@example.com', 'client');
    await lockout.succeeded('jake@example.com', 'client');
    expect(await attempt(lockout, 'jake@example.com', 'client')).toBe('checked');
    expect(await redis.get(lockout.keys('jake@example.com', 'client')[2])).toBe(String(RULES.threshold));
  });

  it('refuses all but one of many parallel guesses once they reach the threshold (checked and counted in one step)', async () => {
    const { lockout } = await lockoutOn();
    const results = await Promise.all(Array.from({ length: 20 }, () => attempt(lockout, 'jake@example.com', 'client')));
    expect(results.filter((result) => result === 'checked')).toHaveLength(RULES.threshold);
  });

  it('gives each new client one guess once the account is under attack from many addresses, the wait growing with the count', async () => {
    const { lockout } = await lockoutOn();
    for (let i = 0; i < RULES.accountThreshold; i++) expect(await attempt(lockout, 'jake@example.com', `address-${i}`)).toBe('checked');
    expect(await attempt(lockout, 'jake@example.com', 'address-new')).toBe('checked');
    expect(await attempt(lockout, 'jake@example.com', 'address-new')).toBe(RULES.baseSeconds);
    expect(await attempt(lockout, 'jake@example.com', 'address-newer')).toBe('checked');
    expect(await attempt(lockout, 'jake@example.com', 'address-newer')).toBe(RULES.baseSeconds * 2);
  });

  it('keeps neither the email nor the client in its key names', async () => {
    const { lockout } = await lockoutOn();
    for (const key of lockout.keys('jake@example.com', '203.0.113.9')) expect(key).not.toMatch(/jake|example|203\.0/);
  });

  it('lets logins through when Redis does not answer (fails open)', async () => {
    const { lockout } = await lockoutOn('unreachable');
    for (let i = 0; i < RULES.threshold + 2; i++) expect(await attempt(lockout, 'jake@example.com', 'client')).toBe('checked');
    await expect(lockout.succeeded('jake@example.com', 'client')).resolves.toBeUndefined();
  });
});
