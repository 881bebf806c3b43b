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

/** Like httpOk for the gateway's HTTPS, trusting `ca` (a self-signed certificate) when given. */
export async function httpsOk(url, ca) {
  const { request } = await import('node:https');
  return new Promise((resolvePromise) => {
    const req = request(url, { ca, timeout: 2000 }, (res) => {
      res.resume();
      resolvePromise(res.statusCode >= 200 && res.statusCode < 300);
    });
    req.on('error', () => resolvePromise(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}
