import { spawn, ChildProcess } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { dirname, join } from 'node:path';
import { runTool, runToolAsync, systemTool, waitUntil } from '@app/testing';

const ROOT = join(__dirname, '../../..');
const HTTPS_PORT = 8443;
/** IPv6 clients: two addresses of one /64, and one of another /64 (documentation range, inside the namespace only). */
const SAME_NETWORK = ['2001:db8:1:2::a', '2001:db8:1:2::b'];
const OTHER_NETWORK = '2001:db8:1:3::a';

const missing =
  process.getuid?.() !== 0
    ? 'not running as root (a network namespace needs it)'
    : !systemTool('nginx')
      ? 'nginx is not installed'
      : !systemTool('ip')
        ? 'iproute2 is not installed'
        : !systemTool('curl')
          ? 'curl is not installed'
          : undefined;
const describeAsRoot = missing === undefined ? describe : (name: string, fn: () => void) => describe.skip(`${name} (skipped: ${missing})`, fn);

/**
 * The gateway's limits as rendered from docker/nginx, run by nginx in a
 * network namespace of this test, where clients can have IPv6 addresses of
 * their own (the machine's loopback has one). A stand-in upstream on a Unix
 * socket answers 200 for whatever reaches it, so every refusal seen is the
 * gateway's. The only change to the rendered configuration is an IPv6 listen.
 */
describeAsRoot('gateway limits: every spelling of the credential routes, IPv6 clients per /64', () => {
  jest.setTimeout(60_000);
  const namespace = `conduit-gw-${process.pid}`;
  let dir = '';
  let nginx: ChildProcess | undefined;
  let upstream: Server;
  const reached: string[] = [];

  beforeAll(async () => {
    removeStaleNamespaces();
    const env = {
      ...process.env,
      GATEWAY_HTTPS_PORT: String(HTTPS_PORT),
      GATEWAY_AUTH_RATE_PER_MINUTE: '1',
      GATEWAY_AUTH_BURST: '2',
      GATEWAY_API_RATE_PER_SECOND: '50',
      GATEWAY_API_BURST: '100',
    };
    const rendered = runTool(process.execPath, [join(ROOT, 'scripts/check-gateway.mjs')], ROOT, env);
    if (rendered.status !== 0) throw new Error(rendered.stderr);
    dir = rendered.stdout.trim().split('\n').pop() ?? '';
    // nginx's workers run as nobody: they must reach the socket.
    for (const path of [dirname(dir), dir]) chmodSync(path, 0o755);
    const socket = join(dir, 'upstream.sock');
    upstream = createServer((req, res) => {
      reached.push(`${req.method} ${req.url} ${String(req.headers['x-forwarded-for'])}`);
      // An instance that dies with the request in hand: the connection drops, no answer.
      if (req.url === '/api/articles/instance-dies') return req.socket.destroy();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => upstream.listen(socket, resolve));
    chmodSync(socket, 0o666);
    // Never marked down: one test drops a request on purpose, the others need the stand-in right after.
    writeFileSync(join(dir, 'upstream.conf'), `server unix:${socket} max_fails=0;\n`);
    const gateway = join(dir, 'gateway.conf');
    writeFileSync(
      gateway,
      readFileSync(gateway, 'utf8').replace(`listen ${HTTPS_PORT} ssl http2;`, `listen ${HTTPS_PORT} ssl http2;\n    listen [::]:${HTTPS_PORT} ssl http2;`),
    );

    ip('netns', 'add', namespace);
    ip('-n', namespace, 'link', 'set', 'lo', 'up');
    for (const address of [...SAME_NETWORK, OTHER_NETWORK]) ip('-n', namespace, '-6', 'addr', 'add', `${address}/128`, 'dev', 'lo', 'nodad');
    nginx = spawn('ip', ['netns', 'exec', namespace, 'nginx', '-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
    await waitUntil(async () => (await curl('127.0.0.1', 'GET', '/api/tags')) === 200, { what: 'the gateway in the namespace' });
  });

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    if (nginx && nginx.exitCode === null) await new Promise((resolve) => nginx!.once('exit', resolve));
    runTool('ip', ['netns', 'del', namespace]);
    await new Promise((resolve) => upstream?.close(resolve));
    if (dir) rmSync(dirname(dir), { recursive: true, force: true });
  });

  /** The status a client at `from` (inside the namespace) gets from the gateway. */
  async function curl(from: string, method: string, path: string): Promise<number> {
    return Number((await curlWithHeader(from, method, path, 'content-type')).split(' ')[0]);
  }

  /** `<status> <value of the header>` as a client at `from` gets them. */
  async function curlWithHeader(from: string, method: string, path: string, header: string): Promise<string> {
    const host = from.includes(':') ? `[${SAME_NETWORK[0]}]` : '127.0.0.1';
    const { output } = await runToolAsync('ip', [
      'netns',
      'exec',
      namespace,
      'curl',
      '-sk',
      '--path-as-is',
      '-o',
      '/dev/null',
      '-w',
      `%{http_code} %header{${header}}`,
      '--interface',
      from,
      '-X',
      method,
      '-H',
      'content-type: application/json',
      '--data',
      '{}',
      `https://${host}:${HTTPS_PORT}${path}`,
    ]);
    return output.trim();
  }

  it('counts login and registration against the strict limit in every spelling nginx passes on', async () => {
    const spellings = [
      '/api/users/login',
      '/api/users/LOGIN',
      '/api/users/login/',
      '/api/users//login',
      '/api/users/%6Cogin',
      '/api//users/Login',
      '/api/users',
      '/api/USERS/',
      '/api/users/./login',
    ];
    const answers = [];
    for (const path of spellings) answers.push(`${path} ${await curl('127.0.0.2', 'POST', path)}`);
    // one per minute with a burst of two: three get through, every later spelling is refused
    expect(answers.slice(0, 3).map((answer) => answer.split(' ')[1])).toEqual(['200', '200', '200']);
    for (const answer of answers.slice(3)) expect(answer).toMatch(/ 429$/);
    // other routes do not count against it
    expect(await curl('127.0.0.2', 'GET', '/api/articles')).toBe(200);
  });

  it('answers 503 with Retry-After in the error shape, not 502, when an instance drops a request it took', async () => {
    // A POST that reached an instance is not passed to another (nginx never resends one): the client is told to retry.
    expect(await curlWithHeader('127.0.0.3', 'POST', '/api/articles/instance-dies', 'retry-after')).toBe('503 5');
    expect(await curlWithHeader('127.0.0.3', 'POST', '/api/articles/instance-dies', 'content-type')).toBe('503 application/json');
  });

  it('counts every address of one IPv6 /64 as one client, and another /64 apart', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await curl(SAME_NETWORK[0], 'POST', '/api/users/login'));
    expect(statuses).toEqual([200, 200, 200]);
    expect(await curl(SAME_NETWORK[1], 'POST', '/api/users/login')).toBe(429);
    expect(await curl(OTHER_NETWORK, 'POST', '/api/users/login')).toBe(200);
    // the API receives the full address, and counts per /64 itself too (client-identity.e2e-spec)
    expect(reached).toContain(`POST /api/users/login ${OTHER_NETWORK}`);
  });
});

function ip(...args: string[]): void {
  const result = runTool('ip', args);
  if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${result.stderr}`);
}

/** Namespaces left by a run of this suite that crashed (its process is gone). */
function removeStaleNamespaces(): void {
  for (const line of runTool('ip', ['netns', 'list']).stdout.split('\n')) {
    const pid = /^conduit-gw-(\d+)/.exec(line)?.[1];
    if (pid === undefined || Number(pid) === process.pid) continue;
    let alive = true;
    try {
      process.kill(Number(pid), 0);
    } catch {
      alive = false;
    }
    if (!alive) runTool('ip', ['netns', 'del', `conduit-gw-${pid}`]);
  }
}
