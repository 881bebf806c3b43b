import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { freePort, isAlive, sleep, SteadyLoad, systemTool, unique, useOwnDatabase, waitUntil } from '@app/testing';
import { HttpsClient } from './support/https-client';

/**
 * The whole local topology as `npm start` runs it (nginx gateway over HTTPS, two API
 * instances, the worker), started through the start command itself against this suite's
 * own database and Redis prefix, and driven only through the gateway.
 */
const PROJECT_DIR = join(__dirname, '../../..');
const missing = ['nginx', 'openssl'].filter((tool) => !systemTool(tool));
const describeWithGateway =
  missing.length === 0 ? describe : (name: string, fn: () => void) => describe.skip(`${name} (skipped: ${missing.join(', ')} not installed)`, fn);

interface Topology {
  pid: number;
  gateway: { pid: number; https: string; http: string; certificate: string; accessLog: string };
  worker: { pid: number };
  api: { port: number; pid: number }[];
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Two free ports in a row: the start command puts its API instances on PORT and PORT+1. */
async function consecutiveFreePorts(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 65535 && (await portIsFree(port + 1))) return port;
  }
}

describeWithGateway('local topology through the gateway (npm start)', () => {
  jest.setTimeout(120_000);
  const db = useOwnDatabase();
  let start: ChildProcess;
  let output = '';
  let topology: Topology;
  let client: HttpsClient;
  let ca: Buffer;
  let httpsPort: number;
  let httpPort: number;
  const readTopology = (file: string): Topology => JSON.parse(readFileSync(file, 'utf8'));
  let topologyFile: string;
  let authorToken: string;

  beforeAll(async () => {
    [httpsPort, httpPort] = [await freePort(), await freePort()];
    const env = {
      ...process.env,
      ...db.env(),
      REDIS_KEY_PREFIX: `${process.env.REDIS_KEY_PREFIX}${unique('topology')}:`,
      PORT: String(await consecutiveFreePorts()),
      API_INSTANCES: '2',
      WORKER_METRICS_PORT: String(await freePort()),
      GATEWAY_HTTPS_PORT: String(httpsPort),
      GATEWAY_HTTP_PORT: String(httpPort),
      // Load from one address must not meet the general limit; the strict login limit stays at its default.
      GATEWAY_API_RATE_PER_SECOND: '5000',
      GATEWAY_API_BURST: '5000',
      LOG_LEVEL: 'warn',
    };
    start = spawn(process.execPath, ['scripts/start.mjs', '--skip-build', '--no-seed'], { cwd: PROJECT_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    start.stdout?.on('data', (chunk) => (output += chunk));
    start.stderr?.on('data', (chunk) => (output += chunk));
    await waitUntil(() => /Topology:\s+(\S+)/.test(output) || start.exitCode !== null, { timeoutMs: 90_000, what: 'npm start to print its topology' });
    const match = /Topology:\s+(\S+)/.exec(output);
    if (!match) throw new Error(`the start command did not come up:\n${output}`);
    topologyFile = match[1];
    topology = readTopology(topologyFile);
    ca = readFileSync(topology.gateway.certificate);
    client = new HttpsClient(`https://localhost:${httpsPort}`, ca);
    // Registered before the login burst below uses up this address's strict auth allowance.
    const username = unique('gwa');
    const registered = await client.send('POST', '/api/users', { body: { user: { username, email: `${username}@example.com`, password: 'password123' } } });
    if (registered.status !== 201) throw new Error(`registration through the gateway answered ${registered.status}`);
    authorToken = registered.json().user.token;
  }, 120_000);

  afterAll(async () => {
    client?.close();
    if (start && start.exitCode === null) {
      start.kill('SIGTERM');
      await new Promise((resolve) => start.once('exit', resolve));
    }
  }, 60_000);

  it('prints the HTTPS and Swagger URLs and how to stop', () => {
    expect(output).toContain(`API:        https://localhost:${httpsPort}/api`);
    expect(output).toContain(`Swagger UI: https://localhost:${httpsPort}/docs`);
    expect(output).toMatch(/Stop with Ctrl\+C/);
    expect(topology.api).toHaveLength(2);
  });

  it('passes the official RealWorld suite through the gateway over HTTPS', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const newman = require('newman');
    const username = unique('gw');
    const summary: any = await new Promise((resolve, reject) =>
      newman.run(
        {
          collection: JSON.parse(readFileSync(join(PROJECT_DIR, '..', 'shared', 'realworld', 'Conduit.postman_collection.json'), 'utf8')),
          reporters: [],
          sslExtraCaCerts: topology.gateway.certificate,
          globalVar: [
            { key: 'APIURL', value: `https://localhost:${httpsPort}/api` },
            { key: 'USERNAME', value: username },
            { key: 'EMAIL', value: `${username}@mail.com` },
            { key: 'PASSWORD', value: 'password' },
          ],
        },
        (error: Error | null, result: unknown) => (error ? reject(error) : resolve(result)),
      ),
    );
    expect(summary.run.failures.map((f: any) => `${f.source?.name}: ${f.error?.message}`)).toEqual([]);
    expect(summary.run.stats.assertions.total).toBeGreaterThan(300);
  });

  it('redirects HTTP to HTTPS', async () => {
    const response = await fetch(`http://localhost:${httpPort}/api/tags?x=1`, { redirect: 'manual' });
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe(`https://localhost:${httpsPort}/api/tags?x=1`);
  });

  it('serves Swagger UI and hides metrics, the queue dashboard, health probes and the operators document', async () => {
    expect((await client.send('GET', '/docs/')).status).toBe(200);
    expect((await client.send('GET', '/docs-json')).json().paths['/api/articles']).toBeDefined();
    for (const path of ['/metrics', '/admin/queues', '/health/ready', '/internal/docs-json', '/anything-else']) {
      const response = await client.send('GET', path);
      expect({ path, status: response.status, body: response.json() }).toEqual({ path, status: 404, body: { errors: { body: ['not found'] } } });
    }
  });

  it('sets TLS-era security headers, gzips JSON and passes a request id through', async () => {
    const response = await client.send('GET', '/api/tags', { headers: { 'accept-encoding': 'gzip', 'x-request-id': 'gateway-test-1' } });
    expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-request-id']).toBe('gateway-test-1');
    const big = await client.send('GET', '/docs-json', { headers: { 'accept-encoding': 'gzip' } });
    expect(big.headers['content-encoding']).toBe('gzip');
  });

  it('answers a burst on login with 429 in the JSON error shape', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 30 }, () =>
        client.send('POST', '/api/users/login', { body: { user: { email: 'nobody@example.com', password: 'wrong-password' } } }),
      ),
    );
    const limited = attempts.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].json()).toEqual({ errors: { body: [expect.any(String)] } });
    expect(limited[0].headers['content-type']).toContain('application/json');
    expect(limited[0].headers['retry-after']).toBeDefined();
    expect(attempts.filter((r) => r.status !== 429).every((r) => r.status === 401)).toBe(true);
  });

  it('spreads requests over both API instances', async () => {
    const marker = unique('spread');
    for (let i = 0; i < 40; i++) expect((await client.send('GET', '/api/tags', { headers: { 'x-request-id': `${marker}-${i}` } })).status).toBe(200);
    const upstreams = readFileSync(topology.gateway.accessLog, 'utf8')
      .split('\n')
      .filter((line) => line.includes(marker))
      .map((line) => JSON.parse(line).upstream);
    expect(new Set(upstreams)).toEqual(new Set(topology.api.map((a) => `127.0.0.1:${a.port}`)));
  });

  it('SIGKILL of one instance, later SIGTERM of the other, under read and write load: no idempotent request fails, every acknowledged write is stored', async () => {
    const token = authorToken;
    const created: string[] = [];
    const paths = ['/api/articles?limit=5', '/api/tags', '/api/articles?limit=20&offset=0'];
    const load = new SteadyLoad(6, async (loop, i) => {
      if (loop === 0) {
        const response = await client.send('POST', '/api/articles', {
          token,
          body: { article: { title: `Crash ${unique('k')}`, description: 'd', body: 'b', tagList: ['crash'] } },
        });
        if (response.status === 201) created.push(response.json().article.slug);
        return { what: 'POST /api/articles', status: response.status };
      }
      const path = paths[i % paths.length];
      return { what: `GET ${path}`, status: (await client.send('GET', path)).status };
    });
    const replaced = async (index: number, pid: number) => {
      await waitUntil(() => readTopology(topologyFile).api[index].pid !== pid, { timeoutMs: 15_000, what: `a replacement of instance ${index}` });
      const { port } = readTopology(topologyFile).api[index];
      await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.ok === true, {
        timeoutMs: 30_000,
        what: `instance ${index} to be ready`,
      });
      return port;
    };
    /**
     * The gateway marks an instance that refused it as failed for its fail_timeout (2 s) and
     * only then tries it again: until it has answered through the gateway, stopping the other
     * one leaves the gateway with no instance it believes alive (npm start's rolling restart
     * waits for this too).
     */
    const backInRotation = async (port: number) => {
      const from = readFileSync(topology.gateway.accessLog, 'utf8').length;
      const served = () =>
        readFileSync(topology.gateway.accessLog, 'utf8')
          .slice(from)
          .split('\n')
          .filter(Boolean)
          .some((line) => {
            // After a retry both fields list every attempt: the last one answered.
            const entry = JSON.parse(line);
            const last = (field: unknown) => String(field).split(', ').pop() ?? '';
            return last(entry.upstream) === `127.0.0.1:${port}` && last(entry.upstream_status).startsWith('2');
          });
      await waitUntil(served, { timeoutMs: 15_000, what: `the gateway to send requests to port ${port} again` });
    };
    await sleep(1500);
    const [killed, stopped] = topology.api;
    const killedAt = Date.now();
    process.kill(killed.pid, 'SIGKILL');
    // The start command brings the killed instance back; then the other one is stopped gracefully.
    await backInRotation(await replaced(0, killed.pid));
    const stoppedAt = Date.now();
    process.kill(stopped.pid, 'SIGTERM');
    await replaced(1, stopped.pid);
    await sleep(1000);
    const outcomes = await load.stop();

    // Reads are retried by the gateway on the other instance: none fails. A POST is never retried
    // (it may have been applied): one in flight on the killed instance, or sent on a pooled
    // connection to it before the gateway saw it die, may fail with 503 (retry later). Nothing else
    // fails, and nothing at all around the graceful stop (the instance drains first).
    const failures = load.log.filter((entry) => !(typeof entry.status === 'number' && entry.status < 300));
    expect(failures.filter((failure) => failure.what !== 'POST /api/articles' || failure.status !== 503)).toEqual([]);
    expect(failures.filter((failure) => failure.at < killedAt - 2000 || failure.at > Math.min(killedAt + 5000, stoppedAt))).toEqual([]);
    expect(failures.length).toBeLessThanOrEqual(3);
    expect(outcomes.ok).toBeGreaterThan(100);
    expect(created.length).toBeGreaterThan(5);
    // Every write acknowledged with 201 is stored.
    for (const slug of created) expect((await client.send('GET', `/api/articles/${slug}`)).status).toBe(200);
    topology = readTopology(topologyFile);
  });

  it('loses nothing while the API instances restart one at a time under load (SIGHUP)', async () => {
    const token = authorToken;
    const created: string[] = [];
    const before = readTopology(topologyFile).api.map((a) => a.pid);
    const load = new SteadyLoad(6, async (loop, i) => {
      if (loop === 0) {
        const response = await client.send('POST', '/api/articles', {
          token,
          body: { article: { title: `Rolling ${unique('r')}`, description: 'd', body: 'b', tagList: ['rolling'] } },
        });
        if (response.status === 201) created.push(response.json().article.slug);
        return { what: 'POST /api/articles', status: response.status };
      }
      if (loop === 1 && created.length > 0) {
        const slug = created[i % created.length];
        const response = await client.send(i % 2 === 0 ? 'POST' : 'DELETE', `/api/articles/${slug}/favorite`, { token });
        return { what: 'favorite', status: response.status };
      }
      const path = loop % 2 === 0 ? '/api/articles?limit=10' : '/api/tags';
      return { what: `GET ${path}`, status: (await client.send('GET', path)).status };
    });
    const marker = output.length;
    process.kill(topology.pid, 'SIGHUP');
    await waitUntil(() => output.slice(marker).includes('rolling restart: done'), { timeoutMs: 90_000, what: 'the rolling restart to finish' });
    const outcomes = await load.stop();
    expect(outcomes.failed).toEqual([]);
    expect(created.length).toBeGreaterThan(5);
    const after = readTopology(topologyFile).api.map((a) => a.pid);
    expect(after.filter((pid) => before.includes(pid))).toEqual([]);
    // Every write acknowledged with 201 is there.
    for (const slug of created) expect((await client.send('GET', `/api/articles/${slug}`)).status).toBe(200);
  });

  it('stops everything it started, and nothing else, on Ctrl+C', async () => {
    const pids = [topology.gateway.pid, topology.worker.pid, ...readTopology(topologyFile).api.map((a) => a.pid)];
    start.kill('SIGINT');
    const code = await new Promise((resolve) => start.once('exit', resolve));
    expect(code).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
    // PostgreSQL and Redis were already running (the test run's), so they were left alone.
    const redis = new URL(process.env.REDIS_URL ?? '');
    expect(await portIsFree(Number(redis.port || 6379))).toBe(false);
  });
});
