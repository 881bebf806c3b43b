/**
 * Cleanups that must wait until everything else of a test file has stopped: a suite's own
 * database is dropped only after its API instances have closed (their pools and background reads
 * still use it until then; through PgBouncer, a read of a dropped database waits for the pooler's
 * query_wait_timeout). Describe-level afterAll hooks run in the order they were declared, so a
 * helper declared first cannot run its cleanup last; this queue is drained by a root-level
 * afterAll (suite-cleanup.setup.ts, in the jest projects' setupFilesAfterEnv), after all of them.
 */
const queued: (() => Promise<void>)[] = [];

export function afterSuite(cleanup: () => Promise<void>): void {
  queued.push(cleanup);
}

/** Runs the queued cleanups, newest first (the reverse of their setup). */
export async function runSuiteCleanups(): Promise<void> {
  while (queued.length > 0) await queued.pop()!();
}
