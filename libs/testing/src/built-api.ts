import { Pool } from 'pg';
import { ConduitClient } from './conduit-client';
import { type RunningProcess, startBuiltApi } from './processes';

export interface BuiltApiContext {
  /** The API as a RealWorld client drives it. */
  api: ConduitClient;
  url: string;
  /** Direct SQL on the API's database, to check what was stored (never to arrange state behind its back). */
  db: { query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]> };
  process: RunningProcess;
}

/**
 * The built API (dist/) as its own process, started once per test file, for suites outside the
 * API (the worker's) that need one to make events: they use it only as a client would, so they
 * depend on nothing inside apps/api. `env` overrides settings for it (its own database or Redis).
 */
export function useBuiltApi(env: () => NodeJS.ProcessEnv = () => ({})): BuiltApiContext {
  const context = {} as BuiltApiContext;
  let pool: Pool | undefined;
  beforeAll(async () => {
    const settings = env();
    context.process = await startBuiltApi(settings);
    context.url = (context.process as RunningProcess & { url: string }).url;
    context.api = new ConduitClient(context.url, context.url);
    const databasePool = new Pool({ connectionString: settings.DATABASE_URL ?? process.env.DATABASE_URL, max: 2 });
    // The suite may drop its own database (useOwnDatabase) before this pool ends: its idle connections are then cut.
    databasePool.on('error', () => undefined);
    pool = databasePool;
    context.db = { query: async <Row>(sql: string, params?: unknown[]) => (await databasePool.query(sql, params)).rows as Row[] };
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await context.process?.stop();
  });
  return context;
}
