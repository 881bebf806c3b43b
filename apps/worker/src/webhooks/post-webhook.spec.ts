import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { isSpecialPurposeAddress, refusedTarget, TARGET_REFUSED } from '@app/queue';
import { deliveryFailureReason, postWebhook, WebhookTimeoutError } from './post-webhook';
import { publicOnlyLookup, TargetRefusedError } from './target-guard';

describe('isSpecialPurposeAddress', () => {
  it.each([
    ...['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '255.255.255.255'],
    ...['192.0.0.170', '192.0.2.1', '198.18.0.1', '198.51.100.7', '203.0.113.9', '192.88.99.1', '192.31.196.1', '192.175.48.6', '224.0.0.1', '240.0.0.1'],
    ...['::1', '::', 'fd12::1', 'fe80::1', 'fec0::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '::ffff:8.8.8.8', '::8.8.8.8'],
    // NAT64, 6to4 and Teredo embed IPv4 addresses (possibly private ones) that a gateway would reach
    ...[
      '64:ff9b::a00:1',
      '64:ff9b::7f00:1',
      '64:ff9b:1::1',
      '2002:7f00:1::1',
      '2002:a00:1::',
      '2001:0:4136:e378::1',
      '2001:db8::1',
      '3fff::1',
      '100::1',
      '5f00::1',
    ],
    'not-an-ip',
  ])('refuses %s', (address) => expect(isSpecialPurposeAddress(address)).toBe(true));
  it.each(['93.184.216.34', '172.32.0.1', '8.8.8.8', '1.1.1.1', '2606:4700::1111', '2a00:1450:4001::1', '2001:4860:4860::8888'])('allows %s', (address) =>
    expect(isSpecialPurposeAddress(address)).toBe(false),
  );
});

describe('refusedTarget', () => {
  const strict = { allowPrivateTargets: false, allowedPorts: [80, 443] };
  it('allows public hosts on the allowed ports only', () => {
    expect(refusedTarget(new URL('https://hooks.example.com/x'), strict)).toBeUndefined();
    expect(refusedTarget(new URL('http://93.184.216.34/x'), strict)).toBeUndefined();
    expect(refusedTarget(new URL('https://hooks.example.com:8443/x'), strict)).toBe(TARGET_REFUSED.port);
    expect(refusedTarget(new URL('http://hooks.example.com:22/x'), strict)).toBe(TARGET_REFUSED.port);
    expect(refusedTarget(new URL('https://hooks.example.com:8443/x'), { ...strict, allowedPorts: 'any' })).toBeUndefined();
  });
  it('refuses special-purpose literals and local names unless explicitly allowed', () => {
    for (const url of ['http://127.0.0.1/', 'http://[::1]/', 'http://[64:ff9b::a00:1]/', 'http://localhost/', 'http://db.internal/', 'http://printer.local/']) {
      expect(`${url} ${refusedTarget(new URL(url), strict)}`).toBe(`${url} ${TARGET_REFUSED.address}`);
      expect(refusedTarget(new URL(url), { ...strict, allowPrivateTargets: true })).toBeUndefined();
    }
  });
});

describe('deliveryFailureReason', () => {
  it('records categories, never addresses or raw socket errors', () => {
    expect(deliveryFailureReason(new TargetRefusedError(TARGET_REFUSED.address), null)).toBe('target refused: not a public address');
    expect(deliveryFailureReason(new WebhookTimeoutError(5000), null)).toBe('timeout');
    expect(deliveryFailureReason(new Error('HTTP 500'), 500)).toBe('HTTP 500');
    expect(deliveryFailureReason(Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:6379'), { code: 'ECONNREFUSED' }), null)).toBe('connection failed');
    expect(deliveryFailureReason(new Error('getaddrinfo ENOTFOUND redis.internal'), null)).toBe('connection failed');
  });
});

describe('postWebhook', () => {
  let server: Server;
  let port: number;
  let respond: (res: import('node:http').ServerResponse) => void;
  const received: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push(body);
        respond(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const options = { headers: { 'content-type': 'application/json' }, timeoutMs: 500, targets: { allowPrivateTargets: true, allowedPorts: 'any' as const } };

  it('posts the body and answers the status, without following redirects', async () => {
    respond = (res) => res.writeHead(204).end();
    expect(await postWebhook(new URL(`http://127.0.0.1:${port}/hook`), '{"a":1}', options)).toBe(204);
    expect(received.at(-1)).toBe('{"a":1}');
    respond = (res) => res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
    expect(await postWebhook(new URL(`http://127.0.0.1:${port}/hook`), '{}', options)).toBe(302);
  });

  it('gives up after the timeout', async () => {
    respond = (res) => setTimeout(() => res.writeHead(200).end(), 2_000);
    await expect(postWebhook(new URL(`http://127.0.0.1:${port}/slow`), '{}', options)).rejects.toThrow(WebhookTimeoutError);
  });

  it('refuses private targets, by literal address and by name at connect time', async () => {
    respond = (res) => res.writeHead(200).end();
    const before = received.length;
    const strict = { ...options, targets: { allowPrivateTargets: false, allowedPorts: 'any' as const } };
    await expect(postWebhook(new URL(`http://127.0.0.1:${port}/`), '{}', strict)).rejects.toThrow(TargetRefusedError);
    await expect(postWebhook(new URL(`http://[::ffff:127.0.0.1]:${port}/`), '{}', strict)).rejects.toThrow(TargetRefusedError);
    await expect(postWebhook(new URL(`http://localhost:${port}/`), '{}', strict)).rejects.toThrow(TargetRefusedError);
    const lookedUp = await new Promise<Error | null>((resolve) => publicOnlyLookup('localhost', {}, (error) => resolve(error)));
    expect(lookedUp).toBeInstanceOf(TargetRefusedError);
    // ports other than 80/443 are refused even where private targets are allowed
    const portsOnly = { ...options, targets: { allowPrivateTargets: true, allowedPorts: [80, 443] } };
    await expect(postWebhook(new URL(`http://127.0.0.1:${port}/`), '{}', portsOnly)).rejects.toThrow(TARGET_REFUSED.port);
    expect(received.length).toBe(before);
  });
});
