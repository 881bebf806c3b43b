import { Worker } from 'node:worker_threads';

export interface Argon2Parameters {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

type HashingTask = { op: 'hash'; password: string; parameters: Argon2Parameters } | { op: 'verify'; hash: string; password: string };

interface Pending {
  readonly task: HashingTask;
  readonly queuedAt: number;
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

/** The queue of hashes is full: the caller should answer 503 and ask the client to come back later. */
export class HashingQueueFullError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`password hashing queue is full; retry in ${retryAfterSeconds} s`);
    this.name = 'HashingQueueFullError';
  }
}

export interface HashingObserver {
  /** The number of tasks waiting for a thread changed. */
  queued(depth: number): void;
  /** A task got a thread after waiting this long. */
  waited(seconds: number): void;
}

const NO_OBSERVER: HashingObserver = { queued: () => undefined, waited: () => undefined };

/**
 * A fixed number of low-priority threads for password hashing (as many as
 * ARGON2_MAX_CONCURRENT): at most that many hashes run at once, at most
 * `maxQueued` more wait in order, and any further one is refused at once
 * (HashingQueueFullError) instead of making every login behind it wait
 * longer. A thread that dies is replaced; its task fails.
 */
export class HashingThreads {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly waiting: Pending[] = [];
  private stopped = false;
  /** Moving average of how long one task holds a thread, for Retry-After. */
  private averageTaskMs = 50;
  private readonly startedAt = new Map<Worker, number>();
  /** Whether the threads could lower their priority (not where the OS refuses). */
  lowered = true;

  constructor(
    private readonly size: number,
    private readonly maxQueued = Number.POSITIVE_INFINITY,
    private readonly observer: HashingObserver = NO_OBSERVER,
  ) {}

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
    if (this.idle.length === 0 && this.waiting.length >= this.maxQueued) {
      // What the queue ahead will take to drain, by the threads at their recent pace.
      const seconds = Math.max(1, Math.ceil(((this.waiting.length / this.size + 1) * this.averageTaskMs) / 1000));
      return Promise.reject(new HashingQueueFullError(seconds));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ task, queuedAt: performance.now(), resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const thread = this.idle.pop()!;
      const next = this.waiting.shift()!;
      const now = performance.now();
      this.observer.waited((now - next.queuedAt) / 1000);
      this.busy.set(thread, next);
      this.startedAt.set(thread, now);
      thread.postMessage(next.task);
    }
    this.observer.queued(this.waiting.length);
  }

  private finished(thread: Worker): Pending | undefined {
    const done = this.busy.get(thread);
    this.busy.delete(thread);
    const started = this.startedAt.get(thread);
    this.startedAt.delete(thread);
    if (started !== undefined) this.averageTaskMs = this.averageTaskMs * 0.9 + (performance.now() - started) * 0.1;
    return done;
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
          const done = this.finished(thread);
          this.idle.push(thread);
          if (message.error !== undefined) done?.reject(new Error(message.error));
          else done?.resolve(message.result);
        }
        this.dispatch();
      });
      thread.on('error', () => undefined); // followed by 'exit'
      thread.on('exit', () => {
        const lost = this.finished(thread);
        const at = this.idle.indexOf(thread);
        if (at >= 0) this.idle.splice(at, 1);
        lost?.reject(new Error('the hashing thread stopped'));
        if (!this.stopped) void this.spawn().then(() => this.dispatch());
        ready();
      });
    });
  }
}
