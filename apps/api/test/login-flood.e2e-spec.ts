import { expectErrorShape, useApiTestApp } from './support/api-test-app';

/**
 * A login flood against one instance: one hashing thread, at most 2 hashes
 * waiting, and argon2id costly enough that a burst piles up. The hashes
 * beyond the queue are refused at once with 503 and Retry-After, instead of
 * every login behind them waiting longer.
 */
describe('login flood: a bounded password-hashing queue', () => {
  jest.setTimeout(60_000);
  const ctx = useApiTestApp(() => ({ ARGON2_MAX_CONCURRENT: '1', ARGON2_MAX_QUEUED: '2', ARGON2_MEMORY_KIB: '32768', ARGON2_TIME_COST: '3' }));

  it('refuses logins beyond the queue with 503 and Retry-After at once, serves the rest, and counts both', async () => {
    const user = await ctx.api.register();
    const burst = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        ctx.api.call('post', '/api/users/login', {
          body: { user: { email: user.email, password: user.password } },
          headers: { 'X-Forwarded-For': `198.51.100.${i + 1}` },
        }),
      ),
    );
    const statuses = burst.map((response) => response.status);
    // one hashing, two waiting: at least three are served; whatever found the queue full got 503
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(3);
    const refused = burst.filter((response) => response.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length + statuses.filter((status) => status === 200).length).toBe(16);
    for (const response of refused) {
      expectErrorShape(response.body);
      expect(response.body.errors.body[0]).toMatch(/too many logins and registrations at once; try again in \d+ s/);
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    const metrics = (await ctx.api.call('get', '/metrics').expect(200)).text;
    expect(Number(/conduit_password_hashing_refused_total (\d+)/.exec(metrics)?.[1])).toBe(refused.length);
    expect(Number(/conduit_password_hashing_wait_seconds_count (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
    expect(metrics).toMatch(/conduit_password_hashing_queued 0/);
    // the queue drained: a login goes through again
    await ctx.api.call('post', '/api/users/login', { body: { user: { email: user.email, password: user.password } } }).expect(200);
  });
});
