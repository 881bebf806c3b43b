import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { postWebhook, WebhookTimeoutError } from './post-webhook';
import { isPrivateAddress, PrivateTargetError } from './target-guard';

describe('isPrivateAddress', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd12::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', 'not-an-ip'])(
    'refuses %s',
    (address) => expect(isPrivateAddress(address)).toBe(true),
  );
  it.each(['93.184.216.34', '172.32.0.1', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) => expect(isPrivateAddress(address)).toBe(false));
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

  const options = { headers: { 'content-type': 'application/json' }, timeoutMs: 500, allowPrivateTargets: true };

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
    const strict = { ...options, allowPrivateTargets: false };
    await expect(postWebhook(new URL(`http://127.0.0.1:${port}/`), '{}', strict)).rejects.toThrow(PrivateTargetError);
    await expect(postWebhook(new URL(`http://[::ffff:127.0.0.1]:${port}/`), '{}', strict)).rejects.toThrow(PrivateTargetError);
    await expect(postWebhook(new URL(`http://localhost:${port}/`), '{}', strict)).rejects.toThrow(PrivateTargetError);
    expect(received.length).toBe(before);
  });
});
