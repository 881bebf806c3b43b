/**
 * What `npm test` reports of a Jest run (its --json output): counts, and the skipped tests with
 * their reasons. A skip counts as a failure under `failOnSkip` unless its title matches `allowed`:
 * CI's machine kind can run every test, so a skip there means something is missing, not optional.
 */
export function summarizeJest(summary, { failOnSkip = false, allowed } = {}) {
  const skipped = [];
  for (const file of summary.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (['pending', 'skipped', 'todo', 'disabled'].includes(test.status)) {
        skipped.push(/\(skipped: [^)]+\)/.test(test.fullName) ? test.fullName : `${test.fullName} (no reason given)`);
      }
    }
  }
  const refused = failOnSkip ? skipped.filter((name) => !(allowed instanceof RegExp && allowed.test(name))) : [];
  return {
    passed: summary.numPassedTests,
    failed: summary.numFailedTests + summary.numRuntimeErrorTestSuites + (refused.length > 0 ? 1 : 0),
    skipped,
    refused,
  };
}

/** The closing line CI reads. */
export function closingLine({ passed, failed, skipped }) {
  return `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;
}
