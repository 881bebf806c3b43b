import { spawn } from 'node:child_process';

/** Starts a long-running child process and returns a handle to stop it gracefully. */
export function startProcess(name, command, args, options) {
  const child = spawn(command, args, { stdio: 'inherit', ...options });
  let exitCode;
  const exited = new Promise((resolvePromise) => {
    child.on('exit', (code, signal) => {
      exitCode = code ?? signal;
      resolvePromise(exitCode);
    });
  });
  return {
    name,
    child,
    exited,
    get running() {
      return exitCode === undefined;
    },
    /** SIGTERM, then SIGKILL after `graceMs`. */
    async stop(graceMs = 10000) {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export async function httpOk(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return response.ok;
}
