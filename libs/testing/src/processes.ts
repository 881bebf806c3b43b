import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemTool } from './system-tool';
import { waitUntil } from './wait-until';

const DIST = join(__dirname, '../../../dist/apps');
export const BUILT_API = join(DIST, 'api/apps/api/src/main.js');
export const BUILT_WORKER = join(DIST, 'worker/apps/worker/src/main.js');

/** Whether a process with this pid still exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RunningProcess {
  readonly child: ChildProcess;
  output(): string;
  /** SIGTERM (graceful); resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash). */
  kill(): Promise<void>;
}

export function track(child: ChildProcess): RunningProcess {
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

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
    this.process = track(
      spawn(binary, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir], { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
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

/** Starts the built API (dist/) as its own process and waits until it is ready. */
export async function startBuiltApi(env: NodeJS.ProcessEnv): Promise<RunningProcess & { url: string }> {
  const port = await freePort();
  const proc = track(spawn(process.execPath, [BUILT_API], { env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] }));
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(
    async () => {
      if (proc.child.exitCode !== null) throw new Error(`API exited: ${proc.output()}`);
      return (await fetch(`${url}/health/ready`)).ok;
    },
    { timeoutMs: 30_000, what: 'the built API to be ready' },
  );
  return { ...proc, url };
}

/** Starts the built worker as its own process and waits for "worker ready". */
export async function startBuiltWorker(env: NodeJS.ProcessEnv): Promise<RunningProcess> {
  const proc = track(spawn(process.execPath, [BUILT_WORKER], { env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  await waitUntil(
    () => {
      if (proc.child.exitCode !== null) throw new Error(`worker exited: ${proc.output()}`);
      return proc.output().includes('worker ready');
    },
    { timeoutMs: 30_000, what: 'the built worker to be ready' },
  );
  return proc;
}
