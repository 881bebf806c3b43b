import { runSuiteCleanups } from './suite-cleanup';

// Root level: after every describe block's own afterAll hooks (suite-cleanup.ts).
afterAll(runSuiteCleanups, 60_000);
