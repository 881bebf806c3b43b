import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '@app/testing';
import { ROOT } from './support/project-copy';

describe('the typed client (libs/api-client)', () => {
  it('is generated from the committed document: regenerate it with `npm run openapi:generate`', () => {
    const dir = mkdtempSync(join(tmpdir(), 'api-client-'));
    try {
      const output = join(dir, 'schema.generated.ts');
      const result = runTool(join(ROOT, 'node_modules/.bin/openapi-typescript'), [join(ROOT, 'openapi/openapi.json'), '--output', output], ROOT);
      expect(result.status).toBe(0);
      expect(readFileSync(join(ROOT, 'libs/api-client/src/schema.generated.ts'), 'utf8')).toBe(readFileSync(output, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('type-checks with everything that uses it, the e2e suites included (tsc --noEmit)', () => {
    // `nest build` checks only what the apps import; this covers tests, the client and its users.
    const result = runTool(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], ROOT);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 120_000);
});
