import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The one home of process helpers, shared with scripts/ and bench/ (see the file).
import {
  BUILT,
  freePort,
  httpOk,
  isAlive,
  type RunningProcess,
  sleep,
  startBuilt,
  startProcess,
  StopWaiting,
  waitUntil,
} from '../../../scripts/lib/processes.cjs';
import { systemTool } from './system-tool';

export { BUILT, freePort, isAlive, sleep, startProcess, StopWaiting, waitUntil };
export type { RunningProcess };

/**
 * A Redis server of the test's own, on a free port, that the test may crash
 * and start again (same port). Its data survives a crash (append-only file,
 * fsync on every write), as on a real server that comes back.
 */
export class TestRedisServer {
  private process: RunningProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'conduit-redis-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<TestRedisServer> {
    const server = await TestRedisServer.notStarted();
    await server.resume();
    return server;
  }

  /** A server with its port chosen but not running yet (`resume()` starts it). */
  static async notStarted(): Promise<TestRedisServer> {
    return new TestRedisServer(await freePort());
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async resume(): Promise<void> {
    const binary = systemTool('redis-server') ?? '/usr/bin/redis-server';
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir];
    this.process = startProcess(`redis-server on ${this.port}`, binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    await waitUntil(() => this.process?.output().includes('Ready to accept connections'), { what: `redis-server on ${this.port}` });
  }

  /** Stops it abruptly, as an outage would. */
  async crash(): Promise<void> {
    await this.process?.kill();
  }

  /** Stops it for good (the end of the test) and removes its data. */
  async stop(): Promise<void> {
    await this.process?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Starts the built API (dist/) as its own process on a free port and waits until it is ready. */
export async function startBuiltApi(env: NodeJS.ProcessEnv): Promise<RunningProcess & { url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const api = await startBuilt({
    name: 'the built API',
    script: BUILT.api,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    ready: () => httpOk(`${url}/health/ready`),
    timeoutMs: 30_000,
  });
  return Object.assign(api, { url });
}

/** Starts the built worker as its own process and waits for "worker ready". */
export function startBuiltWorker(env: NodeJS.ProcessEnv): Promise<RunningProcess> {
  return startBuilt({
    name: 'the built worker',
    script: BUILT.worker,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    ready: (worker) => worker.output().includes('worker ready'),
    timeoutMs: 30_000,
  });
}
