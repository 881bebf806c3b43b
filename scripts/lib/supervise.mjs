import { log, warn } from './log.mjs';
import { sleep } from './processes.cjs';

/** A service process once started: `exited` settles when it ends, `stop()` ends it on purpose. */
/** @typedef {{ exited: Promise<unknown>, stop: () => Promise<void>, pid?: number }} Started */

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;
/** Up this long, a process is taken as healthy again: its next crash restarts it after the first delay. */
const STABLE_MS = 60_000;

/**
 * Keeps a service that `npm start` (or `npm test`) started running, as the API instances are kept:
 * `startOnce()` starts it and resolves once it answers (or throws); when it ends without `stop()`
 * (killed, crashed), it is started again after 1 s, then 2, 4 ... at most 30 s while it keeps
 * failing, so that a PostgreSQL killed with SIGKILL comes back once its old backends have gone.
 * The first start's failure is the caller's (thrown); `current()` is the running process.
 */
export async function superviseService(name, startOnce) {
  let current = await startOnce();
  let stopping = false;
  void (async () => {
    let delay = FIRST_DELAY_MS;
    while (!stopping) {
      const startedAt = Date.now();
      await current.exited;
      if (stopping) return;
      if (Date.now() - startedAt > STABLE_MS) delay = FIRST_DELAY_MS;
      warn(`${name} stopped unexpectedly; starting it again in ${delay / 1000} s`);
      for (;;) {
        await sleep(delay);
        delay = Math.min(delay * 2, MAX_DELAY_MS);
        if (stopping) return;
        try {
          const started = await startOnce();
          if (stopping) return void (await started.stop());
          current = started;
          log(`${name} is back`);
          break;
        } catch (error) {
          warn(`${name} did not start again (${error.message}); next try in ${delay / 1000} s`);
        }
      }
    }
  })();
  return {
    current: () => current,
    async stop() {
      stopping = true;
      await current.stop();
    },
  };
}

/**
 * A spawned service process as `superviseService` expects it: `exited`, `running`, and `stop()`,
 * which sends `stopSignal` and, if it is still running after `killAfterMs`, SIGKILL.
 * @param {import('node:child_process').ChildProcess} child
 * @param {{ name: string, stopSignal: NodeJS.Signals, killAfterMs?: number }} options
 */
export function serviceProcess(child, { name, stopSignal, killAfterMs = 30_000 }) {
  let running = true;
  const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
  void exited.then(() => (running = false));
  return {
    pid: child.pid,
    exited,
    get running() {
      return running;
    },
    async stop() {
      if (!running) return;
      child.kill(stopSignal);
      const timer = setTimeout(() => {
        warn(`${name} did not stop in ${killAfterMs / 1000} s; killing it`);
        child.kill('SIGKILL');
      }, killAfterMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
