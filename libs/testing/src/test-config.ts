import { AppConfig, loadConfig } from '@app/config';

/**
 * The configuration the system would read in this test run (the run's DATABASE_URL, Redis
 * topology and prefix, from npm test's environment), with `overrides`: for suites that build a
 * class on its own, as its module would (an empty value unsets a variable).
 */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({ ...process.env, ...overrides });
}

/** Settings that point every Redis connection at a port where nothing listens. */
export const UNREACHABLE_REDIS: Record<string, string> = { REDIS_URL: 'redis://127.0.0.1:1', REDIS_SENTINELS: '', REDIS_CLUSTER_NODES: '' };
