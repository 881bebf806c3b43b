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
  const checks = [eslint, prettier];
  return { passed: checks.filter((code) => code === 0).length, failed: checks.filter((code) => code !== 0).length };
}
