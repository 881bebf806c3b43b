import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const bin = (name: string) => join(ROOT, 'node_modules/.bin', name);

/** Lints `text` as if it were the file at `path` (type-aware rules included) and answers the rule ids it broke. */
function eslintRules(path: string, text: string): string[] {
  const result = spawnSync(bin('eslint'), ['--format', 'json', '--stdin', '--stdin-filename', path], { cwd: ROOT, input: text, encoding: 'utf8' });
  const [report] = JSON.parse(result.stdout) as { messages: { ruleId: string | null }[] }[];
  return report.messages.map((message) => message.ruleId ?? 'parse-error');
}

/** What Prettier makes of `text` at `path`. */
function formatted(path: string, text: string): string {
  return spawnSync(bin('prettier'), ['--stdin-filepath', path], { cwd: ROOT, input: text, encoding: 'utf8' }).stdout;
}

// The tree itself is linted by `npm test` before the tests (scripts/lib/lint.mjs); these cases
// prove the configuration can fail, so a config change that switches a rule off is seen.
describe('lint and format configuration', () => {
  const PRODUCTION_FILE = 'apps/api/src/main.ts';

  it('rejects a floating promise, unsafe any, an unused variable and a deep import into dist/ in production code', () => {
    const rules = eslintRules(
      PRODUCTION_FILE,
      [
        "import { ThrottlerStorageService } from '@nestjs/throttler/dist/throttler.storage.service';",
        'export const storage = ThrottlerStorageService;',
        'async function work(): Promise<void> {}',
        'export function start(input: string): number {',
        '  const unused = 1;',
        '  work();',
        '  const parsed: any = JSON.parse(input);',
        '  return parsed.count;',
        '}',
        '',
      ].join('\n'),
    );
    expect(rules).toEqual(
      expect.arrayContaining([
        'no-restricted-imports',
        '@typescript-eslint/no-floating-promises',
        '@typescript-eslint/no-unused-vars',
        '@typescript-eslint/no-explicit-any',
        '@typescript-eslint/no-unsafe-return',
      ]),
    );
  });

  it('accepts the same intent written correctly', () => {
    const text = [
      'async function work(): Promise<void> {}',
      'export async function start(input: string): Promise<number> {',
      '  await work();',
      '  return (JSON.parse(input) as { count: number }).count;',
      '}',
      '',
    ].join('\n');
    expect(eslintRules(PRODUCTION_FILE, text)).toEqual([]);
  });

  it('rejects an unused import in the plain-Node scripts', () => {
    expect(eslintRules('scripts/lib/log.mjs', "import { join } from 'node:path';\nexport const a = 1;\n")).toContain('no-unused-vars');
  });

  it('formats with the project style (single quotes, trailing commas), so an unformatted file differs', () => {
    expect(formatted('apps/api/src/main.ts', 'const a = {x: "y"}\n')).toBe("const a = { x: 'y' };\n");
  });
});
