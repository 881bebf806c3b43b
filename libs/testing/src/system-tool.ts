import { spawnSync, SpawnSyncReturns } from 'node:child_process';

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
  return ((name: string, ...rest: unknown[]) => it.skip(`${name} (skipped: ${command} is not installed)`, ...(rest as [])) ) as unknown as jest.It;
}

export function runTool(command: string, args: string[], cwd?: string, env?: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8' });
}
