import cluster, { Worker } from 'node:cluster';

/**
 * With API_WORKERS > 1 the API runs as a node:cluster: this primary forks the
 * workers, which share the listening port and each run the whole app (state
 * lives in PostgreSQL and Redis, so they need nothing from each other). A
 * worker that dies is replaced; SIGTERM/SIGINT are passed on, and the primary
 * exits once every worker has finished its in-flight requests and stopped.
 */
export function runClusterPrimary(workers: number): void {
  let stopping = false;
  const fork = (): Worker => cluster.fork();
  for (let i = 0; i < workers; i++) fork();

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    process.stderr.write(`API worker ${worker.process.pid} exited (${signal ?? code}); starting another\n`);
    setTimeout(fork, 1000);
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const running = Object.values(cluster.workers ?? {});
    if (running.length === 0) process.exit(0);
    for (const worker of running) worker?.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGTERM'));
}
