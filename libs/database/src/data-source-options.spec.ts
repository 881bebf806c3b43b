import { loadConfig } from '@app/config';
import { dataSourceOptions, directDataSourceOptions } from './data-source-options';

const env = {
  NODE_ENV: 'test',
  DATABASE_URL: 'postgres://u:p@pooler:6432/conduit',
  REDIS_URL: 'redis://localhost:6379',
  DATABASE_STATEMENT_TIMEOUT_MS: '4000',
};
const extraOf = (options: { extra?: unknown }) => options.extra as Record<string, unknown>;

describe('data source options', () => {
  it('send the session settings as startup parameters to PostgreSQL or a session pooler', () => {
    const extra = extraOf(dataSourceOptions(loadConfig(env)));
    expect(extra).toMatchObject({ statement_timeout: 4000, idle_in_transaction_session_timeout: 8000 });
    expect(extra.options).toBe('-c plan_cache_mode=force_generic_plan -c max_parallel_workers_per_gather=0');
  });

  it('send no startup parameter a transaction pooler would refuse', () => {
    const extra = extraOf(dataSourceOptions(loadConfig({ ...env, DATABASE_POOLING: 'transaction' })));
    expect(Object.keys(extra).sort()).toEqual(['application_name', 'connectionTimeoutMillis']);
  });

  it('migrate over the direct URL without the request timeout, DATABASE_URL when none is given', () => {
    const direct = directDataSourceOptions(loadConfig({ ...env, DATABASE_POOLING: 'transaction', DATABASE_DIRECT_URL: 'postgres://u:p@db:5432/conduit' }));
    expect(direct).toMatchObject({
      url: 'postgres://u:p@db:5432/conduit',
      extra: { options: '-c statement_timeout=0 -c idle_in_transaction_session_timeout=0' },
    });
    expect(directDataSourceOptions(loadConfig(env))).toMatchObject({ url: env.DATABASE_URL });
  });

  it('refuses an unknown pooling mode', () => {
    expect(() => loadConfig({ ...env, DATABASE_POOLING: 'statement' })).toThrow(/DATABASE_POOLING must be one of/);
  });
});
