import { join } from 'node:path';
import { runTool } from '@app/testing';

const SUMMARY = join(__dirname, '../../scripts/lib/test-summary.mjs');

/** Runs scripts/lib/test-summary.mjs (an ES module of the plain-Node scripts) on a Jest --json summary. */
function summarize(summary: object, options: string): { line: string; skipped: string[]; refused: string[]; failures: string[] } {
  const code = `import { summarizeJest, closingLine } from ${JSON.stringify(SUMMARY)};
const result = summarizeJest(${JSON.stringify(summary)}, ${options});
console.log(JSON.stringify({ line: closingLine({ ...result, skipped: result.skipped.length }), skipped: result.skipped, refused: result.refused, failures: result.failures }));`;
  const run = runTool(process.execPath, ['--input-type=module', '-e', code]);
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

const jestRun = {
  numPassedTests: 3,
  numFailedTests: 0,
  numRuntimeErrorTestSuites: 0,
  testResults: [
    {
      assertionResults: [
        { status: 'passed', fullName: 'a works' },
        { status: 'pending', fullName: 'gateway (skipped: nginx is not installed) starts' },
        { status: 'pending', fullName: 'something quietly skipped' },
      ],
    },
  ],
};

/** What `npm test` closes with: skips counted and named with their reasons, never passed off as passes. */
describe('test summary (scripts/lib/test-summary.mjs)', () => {
  it('counts skipped tests in the closing line and names each with its reason', () => {
    const result = summarize(jestRun, '{}');
    expect(result.line).toBe('tests: 3 passed, 0 failed, 2 skipped');
    expect(result.skipped).toEqual(['gateway (skipped: nginx is not installed) starts', 'something quietly skipped (no reason given)']);
  });

  it('fails the run on a skip where every test can run (CI), unless the skip is explicitly allowed', () => {
    expect(summarize(jestRun, '{ failOnSkip: true }').line).toBe('tests: 3 passed, 1 failed, 2 skipped');
    expect(summarize(jestRun, '{ failOnSkip: true, allowed: /nginx|quietly/ }').line).toBe('tests: 3 passed, 0 failed, 2 skipped');
    expect(summarize({ ...jestRun, testResults: [] }, '{ failOnSkip: true }').line).toBe('tests: 3 passed, 0 failed, 0 skipped');
  });

  it('names what failed: tests by name and file, and suites that failed outside any test by their first message line', () => {
    const result = summarize(
      {
        numPassedTests: 1,
        numFailedTests: 1,
        numRuntimeErrorTestSuites: 1,
        testResults: [
          {
            name: `${process.cwd()}/apps/api/test/a.e2e-spec.ts`,
            status: 'failed',
            assertionResults: [
              { status: 'passed', fullName: 'a works' },
              { status: 'failed', fullName: 'a breaks' },
            ],
          },
          {
            name: `${process.cwd()}/apps/api/test/b.e2e-spec.ts`,
            status: 'failed',
            message: '\u001b[1m● Test suite failed to run\n\n  Cannot find module x',
            assertionResults: [],
          },
        ],
      },
      '{}',
    );
    expect(result.line).toBe('tests: 1 passed, 2 failed, 0 skipped');
    expect(result.failures).toEqual(['a breaks (apps/api/test/a.e2e-spec.ts)', 'apps/api/test/b.e2e-spec.ts: Cannot find module x']);
  });
});
