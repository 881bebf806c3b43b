import { ConfigValidationError, loadConfig } from './load-config';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', REDIS_URL: 'redis://localhost:6379' };
const strongSecret = 'k3J9x!Qm2vR7pL0sT8wZ4nB6yH1cD5fG';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
}

describe('loadConfig', () => {
  it('applies documented defaults in development', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({ nodeEnv: 'development', port: 3000, bodyLimitBytes: 1_048_576, jwtTtlSeconds: 86_400 });
    expect(config.argon2).toEqual({ memoryKib: 19_456, timeCost: 2, parallelism: 1, maxConcurrent: 1, maxQueued: 32 });
    expect(config.httpWorkers).toBe(1);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every missing or invalid variable at once', () => {
    const problems = problemsOf({ PORT: 'eighty', NODE_ENV: 'staging', REDIS_URL: 'http://x' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('NODE_ENV must be one of'),
        expect.stringContaining('PORT must be an integer'),
        expect.stringContaining('DATABASE_URL is required'),
        expect.stringContaining('REDIS_URL must use'),
      ]),
    );
  });

  it('requires a JWT secret in production and refuses short, placeholder and low-entropy ones', () => {
    const prod = { ...base, NODE_ENV: 'production' };
    expect(problemsOf(prod)).toContain('JWT_SECRET is required');
    expect(problemsOf({ ...prod, JWT_SECRET: 'short' })).toEqual([expect.stringContaining('at least 32 characters')]);
    expect(problemsOf({ ...prod, JWT_SECRET: 'change-me-change-me-change-me-change-me' })).toEqual([expect.stringContaining('placeholder')]);
    expect(problemsOf({ ...prod, JWT_SECRET: 'abababababababababababababababab' })).toEqual([expect.stringContaining('placeholder')]);
    expect(problemsOf({ ...prod, JWT_SECRET: strongSecret })).toEqual([]);
  });

  it('refuses weak argon2 parameters in production but allows cheap ones for tests', () => {
    const prod = { ...base, NODE_ENV: 'production', JWT_SECRET: strongSecret };
    expect(problemsOf({ ...prod, ARGON2_MEMORY_KIB: '4096' })).toEqual([expect.stringContaining('ARGON2_MEMORY_KIB')]);
    expect(loadConfig({ ...base, NODE_ENV: 'test', ARGON2_MEMORY_KIB: '4096', ARGON2_TIME_COST: '1' }).argon2.memoryKib).toBe(4096);
  });

  it('validates CORS origins', () => {
    expect(problemsOf({ ...base, CORS_ORIGINS: 'https://app.example.com, not a url' })).toEqual([expect.stringContaining('not a url')]);
    expect(loadConfig({ ...base, CORS_ORIGINS: 'https://a.example.com,http://localhost:4200' }).corsOrigins).toEqual([
      'https://a.example.com',
      'http://localhost:4200',
    ]);
  });

  it('validates trusted proxies and drains before stopping only where a gateway needs it', () => {
    expect(loadConfig({ ...base, TRUSTED_PROXIES: 'loopback, 10.0.0.0/8,uniquelocal' }).trustedProxies).toEqual(['loopback', '10.0.0.0/8', 'uniquelocal']);
    expect(loadConfig(base).trustedProxies).toEqual([]);
    expect(problemsOf({ ...base, TRUSTED_PROXIES: 'everyone' })).toEqual([expect.stringContaining('TRUSTED_PROXIES entry "everyone"')]);
    expect(loadConfig({ ...base, NODE_ENV: 'production', JWT_SECRET: strongSecret }).shutdown).toEqual({
      drainMs: 5000,
      timeoutMs: 10_000,
      stopAccepting: 'drain-end',
    });
    expect(loadConfig(base).shutdown.drainMs).toBe(0);
    expect(loadConfig({ ...base, SHUTDOWN_STOP_ACCEPTING: 'drain-start' }).shutdown.stopAccepting).toBe('drain-start');
    expect(problemsOf({ ...base, SHUTDOWN_STOP_ACCEPTING: 'never' })).toEqual([expect.stringContaining('SHUTDOWN_STOP_ACCEPTING must be one of')]);
  });

  it('refuses trusted proxies that are whole private networks in production', () => {
    const prod = { ...base, NODE_ENV: 'production', JWT_SECRET: strongSecret };
    for (const wide of ['uniquelocal', 'linklocal', '10.0.0.0/8', '172.16.0.0/12', 'fd00::/8']) {
      expect(problemsOf({ ...prod, TRUSTED_PROXIES: wide })).toEqual([expect.stringContaining('trusts a whole network')]);
    }
    expect(loadConfig({ ...prod, TRUSTED_PROXIES: '172.30.0.10, 10.244.255.240/28,loopback' }).trustedProxies).toEqual([
      '172.30.0.10',
      '10.244.255.240/28',
      'loopback',
    ]);
  });

  it('keeps webhooks to public targets on ports 80 and 443 unless told otherwise, in every environment', () => {
    expect(loadConfig(base).webhooks).toMatchObject({ allowPrivateTargets: false, allowedPorts: [80, 443] });
    expect(loadConfig({ ...base, WEBHOOK_ALLOWED_PORTS: '443,8443' }).webhooks.allowedPorts).toEqual([443, 8443]);
    expect(loadConfig({ ...base, WEBHOOK_ALLOWED_PORTS: '*' }).webhooks.allowedPorts).toBe('any');
    expect(problemsOf({ ...base, WEBHOOK_ALLOWED_PORTS: '443,ssh' })).toEqual([expect.stringContaining('WEBHOOK_ALLOWED_PORTS entry "ssh"')]);
  });

  describe('the Redis topology', () => {
    it('is one server at REDIS_URL by default, waiting for no replica', () => {
      expect(loadConfig(base).redis).toEqual({
        topology: { kind: 'standalone', url: 'redis://localhost:6379' },
        username: undefined,
        password: undefined,
        tls: false,
        keyPrefix: 'conduit:',
        jobReplicas: 0,
      });
    });

    it('is Sentinel with REDIS_SENTINELS (REDIS_URL then unread), with credentials for both, waiting for one replica', () => {
      const config = loadConfig({
        ...base,
        REDIS_SENTINELS: 's1:26379, [fd00::2]:26379',
        REDIS_SENTINEL_NAME: 'conduit',
        REDIS_SENTINEL_PASSWORD: 'watch',
        REDIS_PASSWORD: 'data',
        REDIS_TLS: 'true',
      });
      expect(config.redis).toMatchObject({
        topology: {
          kind: 'sentinel',
          sentinels: [
            { host: 's1', port: 26379 },
            { host: 'fd00::2', port: 26379 },
          ],
          masterName: 'conduit',
          sentinelPassword: 'watch',
          sentinelTls: true,
        },
        password: 'data',
        tls: true,
        jobReplicas: 1,
      });
      expect(problemsOf({ ...base, REDIS_SENTINELS: 's1:26379' })).toEqual(['REDIS_SENTINEL_NAME is required']);
    });

    it('is a Cluster with REDIS_CLUSTER_NODES, and REDIS_JOB_REPLICAS says how many replicas must hold a job', () => {
      const config = loadConfig({ ...base, REDIS_CLUSTER_NODES: 'n1:7000,n2:7001', REDIS_JOB_REPLICAS: '2' });
      expect(config.redis.topology).toEqual({
        kind: 'cluster',
        nodes: [
          { host: 'n1', port: 7000 },
          { host: 'n2', port: 7001 },
        ],
      });
      expect(config.redis.jobReplicas).toBe(2);
    });

    it('refuses two topologies, bad addresses, data-node credentials beside a URL, and braces in the key prefix', () => {
      expect(problemsOf({ ...base, REDIS_SENTINELS: 's:1', REDIS_SENTINEL_NAME: 'm', REDIS_CLUSTER_NODES: 'n:2' })).toEqual([
        expect.stringContaining('set one of them'),
      ]);
      expect(problemsOf({ ...base, REDIS_CLUSTER_NODES: 'n1, n2:99999' })).toEqual([
        expect.stringContaining('REDIS_CLUSTER_NODES entry "n1"'),
        expect.stringContaining('REDIS_CLUSTER_NODES entry "n2:99999"'),
      ]);
      expect(problemsOf({ ...base, REDIS_CLUSTER_NODES: ' , ' })).toEqual(['REDIS_CLUSTER_NODES names no node']);
      expect(problemsOf({ ...base, REDIS_PASSWORD: 'p' })).toEqual([expect.stringContaining('credentials and TLS (rediss://) go in the URL')]);
      expect(problemsOf({ ...base, REDIS_KEY_PREFIX: '{conduit}:' })).toEqual([expect.stringContaining('must not contain { or }')]);
    });
  });
});
