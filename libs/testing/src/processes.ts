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

export { BUILT, freePort, isAlive, sleep, startProcess, StopWaiting, waitUntil };
export type { RunningProcess };

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
