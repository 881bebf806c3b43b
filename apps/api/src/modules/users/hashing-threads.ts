import { Worker } from 'node:worker_threads';

export interface Argon2Parameters {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

type HashingTask = { op: 'hash'; password: string; parameters: Argon2Parameters } | { op: 'verify'; hash: string; password: string };

interface Pending {
  readonly task: HashingTask;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/**
 * What each thread runs: argon2id from @node-rs/argon2, synchronously, one
 * task at a time. The thread first lowers its own CPU priority to the lowest
 * (nice 19: on Linux the nice value is per thread), so that hashing takes only
 * CPU that nothing else wants: a flood of logins cannot slow the other requests
 * down, it slows the logins.
 */
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { constants, setPriority } = require('node:os');
const { Algorithm, hashSync, verifySync } = require(${JSON.stringify(require.resolve('@node-rs/argon2'))});
let lowered = true;
try { setPriority(constants.priority.PRIORITY_LOW); } catch { lowered = false; }
parentPort.postMessage({ ready: true, lowered });
parentPort.on('message', (task) => {
  try {
    const result = task.op === 'hash'
      ? hashSync(task.password, { algorithm: Algorithm.Argon2id, ...task.parameters })
      : verifySync(task.hash, task.password);
    parentPort.postMessage({ result });
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});`;

/**
 * A fixed number of low-priority threads for password hashing (as many as
 * ARGON2_MAX_CONCURRENT): at most that many hashes run at once, the rest wait
 * in order. A thread that dies is replaced; its task fails.
 */
export class HashingThreads {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly waiting: Pending[] = [];
  private stopped = false;
  /** Whether the threads could lower their priority (not where the OS refuses). */
  lowered = true;

  constructor(private readonly size: number) {}

  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.size }, () => this.spawn()));
  }

  hash(password: string, parameters: Argon2Parameters): Promise<string> {
    return this.run({ op: 'hash', password, parameters }) as Promise<string>;
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.run({ op: 'verify', hash, password }) as Promise<boolean>;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const threads = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(threads.map((thread) => thread.terminate()));
  }

  private run(task: HashingTask): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const thread = this.idle.pop()!;
      const next = this.waiting.shift()!;
      this.busy.set(thread, next);
      thread.postMessage(next.task);
    }
  }

  private spawn(): Promise<void> {
    const thread = new Worker(THREAD_SOURCE, { eval: true });
    thread.unref(); // never what keeps the process alive
    return new Promise((ready) => {
      thread.on('message', (message: { ready?: boolean; lowered?: boolean; result?: unknown; error?: string }) => {
        if (message.ready) {
          this.lowered &&= message.lowered === true;
          this.idle.push(thread);
          ready();
        } else {
          const done = this.busy.get(thread);
          this.busy.delete(thread);
          this.idle.push(thread);
          if (message.error !== undefined) done?.reject(new Error(message.error));
          else done?.resolve(message.result);
        }
        this.dispatch();
      });
      thread.on('error', () => undefined); // followed by 'exit'
      thread.on('exit', () => {
        const lost = this.busy.get(thread);
        this.busy.delete(thread);
        const at = this.idle.indexOf(thread);
        if (at >= 0) this.idle.splice(at, 1);
        lost?.reject(new Error('the hashing thread stopped'));
        if (!this.stopped) void this.spawn().then(() => this.dispatch());
        ready();
      });
    });
  }
}
