import { join } from 'node:path';
import { log } from './log.mjs';
import { PROJECT_DIR } from './processes.cjs';
import { runStatus } from './run.mjs';

/** What Prettier formats: the code. Documents, generated files and data keep their writers' format (.prettierignore). */
export const FORMATTED = '**/*.{ts,mjs,cjs}';

/**
 * ESLint (type-aware, eslint.config.mjs) and Prettier's check over the whole tree, each one
 * check of `npm test`: a violation fails the run, with the tools' own report above it.
 */
export async function runLint() {
  const bin = (name) => join(PROJECT_DIR, 'node_modules/.bin', name);
  log('lint: eslint...');
  const eslint = await runStatus(bin('eslint'), ['--max-warnings=0', '.'], { cwd: PROJECT_DIR });
  log('lint: prettier --check...');
  const prettier = await runStatus(bin('prettier'), ['--check', '--log-level=warn', FORMATTED], { cwd: PROJECT_DIR });
  if (eslint !== 0) log('lint: eslint found problems (npx eslint --fix . fixes some)');
  if (prettier !== 0) log('lint: files not formatted (npm run format formats them)');
  const failures = [eslint !== 0 && 'lint: eslint', prettier !== 0 && 'lint: prettier --check'].filter(Boolean);
  return { passed: 2 - failures.length, failed: failures.length, failures };
}
