'use strict';
/**
 * The one home of process helpers: where the built programs are, starting and
 * stopping a child process, waiting for a condition, a free port, probing a
 * URL. `npm start`, `npm test` (scripts/), the benchmark (bench/) and the tests
 * (libs/testing) all use these. It is CommonJS so that the ES-module scripts
 * import it and the Jest-run TypeScript tests require it as it is (JSDoc gives
 * them its types); .dependency-cruiser.cjs lets libs/testing reach this file
 * and nothing else outside libs/.
 */
const { spawn } = require('node:child_process');
const { request: httpsRequest } = require('node:https');
const { createServer } = require('node:net');
const { join, resolve } = require('node:path');

const PROJECT_DIR = resolve(__dirname, '..', '..');

/** What `nest build` writes (the apps' tsconfig rootDir is the project, so each app's tree repeats under its outDir). */
const BUILT = {
  api: join(PROJECT_DIR, 'dist/apps/api/apps/api/src/main.js'),
  worker: join(PROJECT_DIR, 'dist/apps/worker/apps/worker/src/main.js'),
  databaseCli: join(PROJECT_DIR, 'dist/apps/api/apps/api/src/cli/database-cli.js'),
  openApiCli: join(PROJECT_DIR, 'dist/apps/api/apps/api/src/cli/openapi-cli.js'),
};

/** A PostgreSQL server of a test's own (see the script); started by libs/testing's TestPostgresServer. */
const POSTGRES_SERVER_SCRIPT = join(__dirname, 'postgres-server.mjs');

/** @param {number} ms @returns {Promise<void>} */
function sleep(ms) {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}

/** Thrown by a waitUntil check to end the wait at once (the awaited process died, say). */
class StopWaiting extends Error {}

/**
 * Polls `check` until it returns a truthy value (which is returned) or `timeoutMs` passes.
 * A check that throws counts as "not yet" (its last error is in the timeout's message),
 * unless it throws StopWaiting.
 * @template T
 * @param {() => Promise<T> | T} check
 * @param {{ timeoutMs?: number, intervalMs?: number, what?: string }} [options]
 * @returns {Promise<NonNullable<T>>}
 */
async function waitUntil(check, { timeoutMs = 15_000, intervalMs = 50, what = 'a condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  /** @type {unknown} */
  let lastError;
  for (;;) {
    try {
      const value = await check();
      if (value) return /** @type {NonNullable<T>} */ (value);
    } catch (error) {
      if (error instanceof StopWaiting) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await sleep(intervalMs);
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. @returns {Promise<number>} */
function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePromise(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Whether a process with this pid still exists. @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * @typedef {object} RunningProcess
 * @property {string} name
 * @property {import('node:child_process').ChildProcess} child
 * @property {number | undefined} pid
 * @property {Promise<number | string | null>} exited resolves with the exit code, or the signal's name
 * @property {boolean} running
 * @property {() => string} output what it wrote to piped stdout and stderr so far
 * @property {(graceMs?: number) => Promise<number | string | null>} stop SIGTERM (graceful), SIGKILL after `graceMs`
 * @property {() => Promise<void>} kill SIGKILL: a crash
 */

/**
 * Starts a long-running child process. `stdio` is Node's: 'inherit' (the default) shows its
 * output; 'pipe' collects it for `output()`.
 * @param {string} name
 * @param {string} command
 * @param {readonly string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 * @returns {RunningProcess}
 */
function startProcess(name, command, args, options = {}) {
  const child = spawn(command, args, { stdio: 'inherit', ...options });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  /** @type {number | string | null | undefined} */
  let exitCode;
  /** @type {Promise<number | string | null>} */
  const exited = new Promise((resolvePromise) => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? signal;
      resolvePromise(exitCode);
    });
  });
  return {
    name,
    child,
    exited,
    get pid() {
      return child.pid;
    },
    get running() {
      return exitCode === undefined;
    },
    output: () => output,
    async stop(graceMs = 10_000) {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (exitCode !== undefined) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Whether `url` answers 2xx within two seconds. Over HTTPS, `ca` is the certificate to trust
 * (the gateway's self-signed one).
 * @param {string} url
 * @param {string | Buffer} [ca]
 * @returns {Promise<boolean>}
 */
async function httpOk(url, ca) {
  if (!url.startsWith('https:')) {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
    return response?.ok ?? false;
  }
  return new Promise((resolvePromise) => {
    const req = httpsRequest(url, { ca, timeout: 2000 }, (res) => {
      res.resume();
      resolvePromise((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300);
    });
    req.on('error', () => resolvePromise(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * Starts a built app (BUILT.api, BUILT.worker) with `node` and waits until `ready` says so;
 * a process that exits first fails at once, with what it wrote.
 * @param {{ name: string, script: string, env: NodeJS.ProcessEnv, ready: (proc: RunningProcess) => Promise<boolean> | boolean,
 *           node?: string, nodeArgs?: readonly string[], stdio?: import('node:child_process').StdioOptions, timeoutMs?: number }} options
 * @returns {Promise<RunningProcess>}
 */
async function startBuilt({ name, script, env, ready, node = process.execPath, nodeArgs = [], stdio = ['ignore', 'pipe', 'pipe'], timeoutMs = 60_000 }) {
  const proc = startProcess(name, node, [...nodeArgs, script], { env, stdio });
  try {
    await waitUntil(
      async () => {
        if (!proc.running) throw new StopWaiting(`${name} exited with ${await proc.exited}: ${proc.output()}`);
        return ready(proc);
      },
      { timeoutMs, what: `${name} to be ready` },
    );
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return proc;
}

module.exports = { PROJECT_DIR, BUILT, POSTGRES_SERVER_SCRIPT, sleep, StopWaiting, waitUntil, freePort, isAlive, startProcess, httpOk, startBuilt };
