import { spawn, spawnSync, SpawnSyncReturns } from 'node:child_process';

/** The path of a system tool, or undefined when it is not installed (`npm test` installs them as root). */
export function systemTool(command: string): string | undefined {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim() || undefined;
}

/**
 * `it` when `command` is installed; otherwise the test is reported as skipped
 * with a note saying which tool is missing, never as a silent pass.
 */
export function itWithTool(command: string): jest.It {
  if (systemTool(command)) return it;
  return ((name: string, ...rest: unknown[]) => it.skip(`${name} (skipped: ${command} is not installed)`, ...(rest as []))) as unknown as jest.It;
}

export function runTool(command: string, args: string[], cwd?: string, env?: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8' });
}

/** Runs a tool without blocking the event loop (the API under test may live in this process); resolves with its exit code and combined output. */
export function runToolAsync(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}
