import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const WORKER_MAIN = join(__dirname, '../../../dist/apps/worker/apps/worker/src/main.js');

describe('worker process', () => {
  it('boots as its own process against PostgreSQL and Redis and exits cleanly on SIGTERM', async () => {
    expect(existsSync(WORKER_MAIN)).toBe(true); // built by `npm test` before Jest runs
    const child = spawn(process.execPath, [WORKER_MAIN], { env: { ...process.env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const deadline = Date.now() + 20_000;
    while (!output.includes('worker ready') && Date.now() < deadline && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(output).toContain('worker ready');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
