import { RunningProcess, startBuiltApi, unique } from '@app/testing';
import { expectErrorShape } from './support/api-test-app';

/**
 * Two API processes sharing one Redis prefix: a client's requests count
 * against one limit whichever instance serves them.
 */
describe('rate limits shared by every API instance', () => {
  jest.setTimeout(60_000);
  const env = {
    REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}${unique('limits-')}:`,
    RATE_LIMIT_LIMIT: '20',
    RATE_LIMIT_AUTH_LIMIT: '5',
    RATE_LIMIT_WINDOW_SECONDS: '30',
  };
  let instances: (RunningProcess & { url: string })[] = [];

  beforeAll(async () => {
    instances = await Promise.all([startBuiltApi(env), startBuiltApi(env)]);
  });
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
  });

  const send = (index: number, path: string, init?: RequestInit) => fetch(`${instances[index % 2].url}${path}`, init);
  const login = (index: number) =>
    send(index, '/api/users/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: { email: 'nobody@example.com', password: 'wrong-password' } }),
    });

  it('applies the strict login limit, then the general one, across both instances, with Retry-After and the error shape', async () => {
    for (let attempt = 0; attempt < 5; attempt++) expect((await login(attempt)).status).toBe(401);
    const refused = await login(5);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expectErrorShape(await refused.json());
    expect((await login(6)).status).toBe(429);

    // Reads are not held by the login limit, only by the general one (20, of which 7 are spent).
    const statuses: number[] = [];
    for (let request = 0; request < 14; request++) statuses.push((await send(request, '/api/tags')).status);
    expect(statuses).toEqual([...Array(13).fill(200), 429]);
    const limited = await send(1, '/api/articles');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expectErrorShape(await limited.json());

    // Infrastructure probes are never limited.
    expect((await send(0, '/health/ready')).status).toBe(200);
    expect((await send(1, '/metrics')).status).toBe(200);
  });

  it('keeps the admin queue board closed when no admin credentials are configured', async () => {
    const response = await send(0, '/admin/queues');
    expect(response.status).toBe(404);
    expectErrorShape(await response.json());
  });
});
