import { localEnvironment } from './environment.mjs';
import { localStateDir } from './paths.mjs';

/**
 * Provisions what the system needs at the configured URLs (PostgreSQL, Redis)
 * and returns the environment plus a `stop()` that stops only what it started,
 * in reverse order. Imported after npm dependencies are installed.
 */
export async function provisionServices(overrides = {}) {
  const env = { ...localEnvironment(), ...overrides };
  const stateDir = localStateDir();
  const { ensurePostgres } = await import('./postgres.mjs');
  const { ensureRedisTopology } = await import('./redis.mjs');
  const stops = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch(() => {});
    stops.length = 0;
  };
  try {
    stops.push((await ensurePostgres(env.DATABASE_URL, stateDir)).stop);
    stops.push((await ensureRedisTopology(env, stateDir)).stop);
  } catch (error) {
    await stop();
    throw error;
  }
  return { env, stop };
}
