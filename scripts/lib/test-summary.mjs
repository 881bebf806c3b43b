/**
 * What `npm test` reports of a Jest run (its --json output): counts, the skipped tests with
 * their reasons, and what failed (tests by name, suites that could not run by file). A skip counts
 * as a failure under `failOnSkip` unless its title matches `allowed`: CI's machine kind can run
 * every test, so a skip there means something is missing, not optional.
 */
export function summarizeJest(summary, { failOnSkip = false, allowed } = {}) {
  const skipped = [];
  const failures = [];
  for (const file of summary.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    for (const test of tests) {
      if (['pending', 'skipped', 'todo', 'disabled'].includes(test.status)) {
        skipped.push(/\(skipped: [^)]+\)/.test(test.fullName) ? test.fullName : `${test.fullName} (no reason given)`);
      }
      if (test.status === 'failed') failures.push(`${test.fullName} (${relativeName(file.name)})`);
    }
    // A suite that failed outside its tests (a hook, a syntax error) has no failed test to name.
    if (file.status === 'failed' && !tests.some((test) => test.status === 'failed')) {
      failures.push(`${relativeName(file.name)}: ${firstLine(file.message) || 'the suite failed to run'}`);
    }
  }
  const refused = failOnSkip ? skipped.filter((name) => !(allowed instanceof RegExp && allowed.test(name))) : [];
  return {
    passed: summary.numPassedTests,
    failed: summary.numFailedTests + summary.numRuntimeErrorTestSuites + (refused.length > 0 ? 1 : 0),
    skipped,
    refused,
    failures,
  };
}

const relativeName = (path = '') => path.replace(`${process.cwd()}/`, '');
// Jest's messages are ANSI-coloured and long; the first meaningful line says what broke.
const firstLine = (message = '') =>
  message
    // eslint-disable-next-line no-control-regex -- ANSI colour codes
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line && !line.startsWith('●'));

/** The closing line CI reads. */
export function closingLine({ passed, failed, skipped }) {
  return `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;
}
