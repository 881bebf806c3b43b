import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { useApiTestApp } from './support/api-test-app';

/** The gateway and an ingress in front of it: the only peers whose forwarding headers count. */
const GATEWAY = '127.0.0.2';
const INGRESS = '127.0.0.3';
const LIMIT = 8;

interface Answer {
  readonly status: number;
  readonly requestId: string | undefined;
}

/**
 * Who a request counts as (rate limits, login lockout) and whose request id is
 * believed, with TRUSTED_PROXIES naming exactly two proxy addresses. Requests
 * leave from chosen loopback addresses, so the API sees real peers, trusted or not.
 */
describe('client identity: exact trusted proxies, IPv6 per /64, every spelling of a route', () => {
  jest.setTimeout(30_000);
  const ctx = useApiTestApp(() => ({
    TRUSTED_PROXIES: `${GATEWAY},${INGRESS}`,
    RATE_LIMIT_LIMIT: String(LIMIT),
    RATE_LIMIT_AUTH_LIMIT: '2',
    RATE_LIMIT_SYNC_INTERVAL_MS: '0',
  }));
  let port: number;
  beforeAll(() => {
    port = (ctx.app.getHttpServer().address() as AddressInfo).port;
  });

  const send = (path: string, from: string, headers: Record<string, string> = {}, method = 'GET', body?: unknown): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const outgoing = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path,
          method,
          localAddress: from,
          agent: false,
          headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? 0, requestId: response.headers['x-request-id'] as string | undefined }));
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  /** Statuses of LIMIT + 1 requests to /api/tags, each with the headers `forHit` gives it. */
  const burst = async (from: string, forHit: (hit: number) => Record<string, string>) => {
    const statuses: number[] = [];
    for (let hit = 0; hit <= LIMIT; hit++) statuses.push((await send('/api/tags', from, forHit(hit))).status);
    return statuses;
  };
  const limited = [...Array(LIMIT).fill(200), 429];

  it('a peer outside the list cannot pick a new identity per request with X-Forwarded-For', async () => {
    expect(await burst('127.0.0.4', (hit) => ({ 'X-Forwarded-For': `198.51.100.${hit + 1}` }))).toEqual(limited);
  });

  it('a peer outside the list cannot set the request id; the gateway can', async () => {
    expect((await send('/api/tags', '127.0.0.5', { 'X-Request-Id': 'forged-by-client' })).requestId).not.toBe('forged-by-client');
    expect((await send('/api/tags', GATEWAY, { 'X-Request-Id': 'set-by-gateway', 'X-Forwarded-For': '198.51.100.200' })).requestId).toBe('set-by-gateway');
  });

  it('through one trusted hop, the client is the address the gateway forwarded', async () => {
    // each forwarded client has a bucket of its own...
    expect(new Set(await burst(GATEWAY, (hit) => ({ 'X-Forwarded-For': `198.51.100.${hit + 20}` })))).toEqual(new Set([200]));
    // ...and one client behind the gateway is limited like any other
    expect(await burst(GATEWAY, () => ({ 'X-Forwarded-For': '198.51.100.40' }))).toEqual(limited);
  });

  it('through two hops, only the addresses trusted proxies vouch for count; what the client wrote does not', async () => {
    // client -> an untrusted proxy (192.0.2.50) -> the gateway: the untrusted proxy is the client,
    // whatever it (or the client before it) put further left.
    expect(await burst(GATEWAY, (hit) => ({ 'X-Forwarded-For': `203.0.113.${hit + 1}, 192.0.2.50` }))).toEqual(limited);
    // client -> the ingress -> the gateway: both trusted, so the client is the address the ingress saw.
    expect(new Set(await burst(GATEWAY, (hit) => ({ 'X-Forwarded-For': `198.51.100.${hit + 60}, ${INGRESS}` })))).toEqual(new Set([200]));
    // a direct peer outside the list that claims to be the ingress gains nothing
    expect(await burst('127.0.0.6', (hit) => ({ 'X-Forwarded-For': `198.51.100.${hit + 80}, ${INGRESS}` }))).toEqual(limited);
  });

  it('counts IPv6 clients per /64: a new address in the same network is the same client', async () => {
    expect(await burst(GATEWAY, (hit) => ({ 'X-Forwarded-For': `2001:db8:1:2::${(hit + 1).toString(16)}` }))).toEqual(limited);
    expect((await send('/api/tags', GATEWAY, { 'X-Forwarded-For': '2001:db8:1:2:ffff:ffff:ffff:fffe' })).status).toBe(429);
    expect((await send('/api/tags', GATEWAY, { 'X-Forwarded-For': '2001:db8:1:3::1' })).status).toBe(200);
  });

  it('applies the credentials limit to every spelling that reaches the login handler', async () => {
    const spellings = [
      '/api/users/login',
      '/api/users/LOGIN',
      '/api/users/login/',
      '/api/Users/Login/',
      '//api/users//login',
      '/api/users/%6Cogin',
      '/api/users/login?x=1',
    ];
    const credentials = { user: { email: 'nobody@example.com', password: 'not-the-password' } };
    const answers: string[] = [];
    for (const path of spellings) {
      answers.push(`${path} ${(await send(path, GATEWAY, { 'X-Forwarded-For': '198.51.100.99' }, 'POST', credentials)).status}`);
    }
    // At most two reach the handler (401); every other spelling is counted (429) or not a route at all (404).
    const reached = answers.filter((answer) => answer.endsWith(' 401'));
    expect(reached.length).toBeLessThanOrEqual(2);
    for (const answer of answers) expect(answer).toMatch(/ (401|404|429)$/);
    expect(answers.filter((answer) => answer.endsWith(' 429')).length).toBeGreaterThanOrEqual(3);
  });
});
