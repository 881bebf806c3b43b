import { AppConfig, DATABASE_POOLING, LogLevel, NodeEnv, SEARCH_LANGUAGES, STOP_ACCEPTING } from './app-config';
import { parseRedisNodes, RedisConfig, RedisTopology } from './redis-config';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

type Env = Record<string, string | undefined>;

const NODE_ENVS: readonly NodeEnv[] = ['development', 'production', 'test'];
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const MIN_SECRET_LENGTH = 32;
// Values people paste from examples; refused in production whatever their length.
const PLACEHOLDER_SECRET = /change[-_ ]?me|changeme|secret|example|placeholder|development|default|password|test/i;

/**
 * Reads and validates every setting at once, so a bad deployment fails at
 * boot with one message naming each missing or invalid variable.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const nodeEnv = read.oneOf('NODE_ENV', NODE_ENVS, 'development');
  const isProduction = nodeEnv === 'production';

  const jwtSecret = read.string('JWT_SECRET', isProduction ? undefined : 'dev-only-insecure-jwt-secret-change-me-0123456789');
  if (jwtSecret !== undefined) {
    if (jwtSecret.length < MIN_SECRET_LENGTH) {
      problems.push(`JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters long`);
    } else if (isProduction && (PLACEHOLDER_SECRET.test(jwtSecret) || new Set(jwtSecret).size < 10)) {
      problems.push('JWT_SECRET looks like a placeholder or low-entropy value; generate one with `openssl rand -base64 48`');
    }
  }

  const corsOrigins = read.list('CORS_ORIGINS', ['*']);
  for (const origin of corsOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      problems.push(`CORS_ORIGINS entry "${origin}" must be "*" or an origin such as https://app.example.com`);
    }
  }

  const trustedProxy = /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/;
  for (const proxy of read.list('TRUSTED_PROXIES', [])) {
    if (!trustedProxy.test(proxy)) problems.push(`TRUSTED_PROXIES entry "${proxy}" must be an IP, a CIDR, loopback, linklocal or uniquelocal`);
    else if (isProduction && isWholePrivateRange(proxy)) {
      problems.push(
        `TRUSTED_PROXIES entry "${proxy}" trusts a whole network: anyone in it could pick their own client address; list only the gateway's or ingress controller's addresses (docs/security.md)`,
      );
    }
  }

  const webhookPorts = read.list('WEBHOOK_ALLOWED_PORTS', ['80', '443']);
  for (const port of webhookPorts) {
    if (port !== '*' && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
      problems.push(`WEBHOOK_ALLOWED_PORTS entry "${port}" must be a port number or *`);
    }
  }

  const values = {
    nodeEnv,
    host: read.string('HOST', '0.0.0.0') ?? '',
    port: read.int('PORT', 3000, 1, 65535),
    httpWorkers: read.int('API_WORKERS', 1, 1, 64),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, isProduction ? 'info' : nodeEnv === 'test' ? 'warn' : 'debug'),
    bodyLimitBytes: read.int('HTTP_BODY_LIMIT_BYTES', 1_048_576, 1024, 50 * 1_048_576),
    corsOrigins,
    swaggerEnabled: read.bool('SWAGGER_ENABLED', true),
    keepAliveTimeoutSeconds: read.int('HTTP_KEEP_ALIVE_TIMEOUT_SECONDS', 65, 1, 3600),
    trustedProxies: read.list('TRUSTED_PROXIES', []),
    shutdown: {
      drainMs: read.int('SHUTDOWN_DRAIN_MS', isProduction ? 5000 : 0, 0, 120_000),
      timeoutMs: read.int('SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
      stopAccepting: read.oneOf('SHUTDOWN_STOP_ACCEPTING', STOP_ACCEPTING, 'drain-end'),
    },
    databaseUrl: read.url('DATABASE_URL', ['postgres:', 'postgresql:']),
    databasePooling: read.oneOf('DATABASE_POOLING', DATABASE_POOLING, 'session'),
    databaseDirectUrl: env.DATABASE_DIRECT_URL ? read.url('DATABASE_DIRECT_URL', ['postgres:', 'postgresql:']) : (env.DATABASE_URL ?? ''),
    databasePoolSize: read.int('DATABASE_POOL_SIZE', 10, 1, 500),
    databaseStatementTimeoutMs: read.int('DATABASE_STATEMENT_TIMEOUT_MS', 5000, 100, 600_000),
    databaseConnectTimeoutMs: read.int('DATABASE_CONNECT_TIMEOUT_MS', 3000, 100, 60_000),
    redis: readRedis(read, problems),
    cacheTtlSeconds: read.int('CACHE_TTL_SECONDS', 60, 1, 86_400),
    cacheTimeoutMs: read.int('CACHE_TIMEOUT_MS', 100, 5, 10_000),
    cacheListMaxOffset: read.int('CACHE_LIST_MAX_OFFSET', 100, 0, 10_000),
    cacheLocalMaxMiB: read.int('CACHE_LOCAL_MAX_MB', 64, 0, 4096),
    searchLanguage: read.oneOf('SEARCH_LANGUAGE', SEARCH_LANGUAGES, 'english'),
    jwtSecret: jwtSecret ?? '',
    jwtTtlSeconds: read.int('JWT_TTL_SECONDS', 86_400, 60, 30 * 86_400),
    jwtIssuer: read.string('JWT_ISSUER', 'conduit') ?? '',
    tokenRevocationPollMs: read.int('TOKEN_REVOCATION_POLL_MS', 2000, 100, 60_000),
    idempotencyKeyTtlSeconds: read.int('IDEMPOTENCY_KEY_TTL_SECONDS', 86_400, 1, 30 * 86_400),
    argon2: {
      memoryKib: read.int('ARGON2_MEMORY_KIB', 19_456, isProduction ? 19_456 : 1024, 4_194_304),
      timeCost: read.int('ARGON2_TIME_COST', 2, isProduction ? 2 : 1, 20),
      parallelism: read.int('ARGON2_PARALLELISM', 1, 1, 16),
      maxConcurrent: read.int('ARGON2_MAX_CONCURRENT', 1, 1, 64),
      maxQueued: read.int('ARGON2_MAX_QUEUED', 32, 0, 100_000),
    },
  };

  const adminUsername = read.optional('ADMIN_USERNAME');
  const adminPassword = read.optional('ADMIN_PASSWORD');
  if ((adminUsername === undefined) !== (adminPassword === undefined)) problems.push('ADMIN_USERNAME and ADMIN_PASSWORD must be set together');
  if (adminPassword !== undefined && adminPassword.length < (isProduction ? 16 : 8)) {
    problems.push(`ADMIN_PASSWORD must be at least ${isProduction ? 16 : 8} characters long`);
  }
  const extra = {
    rateLimit: {
      windowSeconds: read.int('RATE_LIMIT_WINDOW_SECONDS', 60, 1, 3600),
      limit: read.int('RATE_LIMIT_LIMIT', 600, 1, 10_000_000),
      authLimit: read.int('RATE_LIMIT_AUTH_LIMIT', 10, 1, 10_000_000),
      syncIntervalMs: read.int('RATE_LIMIT_SYNC_INTERVAL_MS', 100, 0, 1000),
      ipv6PrefixBits: read.int('RATE_LIMIT_IPV6_PREFIX', 64, 1, 128),
      adminLimit: read.int('ADMIN_RATE_LIMIT', 60, 1, 1_000_000),
    },
    loginLockout: {
      threshold: read.int('LOGIN_LOCKOUT_THRESHOLD', 5, 1, 1000),
      accountThreshold: read.int('LOGIN_LOCKOUT_ACCOUNT_THRESHOLD', 20, 1, 100_000),
      baseSeconds: read.int('LOGIN_LOCKOUT_BASE_SECONDS', 30, 1, 86_400),
      maxSeconds: read.int('LOGIN_LOCKOUT_MAX_SECONDS', 900, 1, 86_400),
      windowSeconds: read.int('LOGIN_FAILURE_WINDOW_SECONDS', 900, 1, 86_400),
    },
    admin: adminUsername !== undefined && adminPassword !== undefined ? { username: adminUsername, password: adminPassword } : undefined,
    worker: {
      metricsPort: read.int('WORKER_METRICS_PORT', 9464, 0, 65535),
      concurrency: read.int('WORKER_CONCURRENCY', 10, 1, 100),
      outboxPollIntervalMs: read.int('OUTBOX_POLL_INTERVAL_MS', 200, 10, 60_000),
      fanoutBatchSize: read.int('NOTIFICATION_FANOUT_BATCH_SIZE', 1000, 1, 100_000),
      maintenanceIntervalMs: read.int('MAINTENANCE_INTERVAL_MS', 3_600_000, 1000, 7 * 86_400_000),
    },
    webhooks: {
      timeoutMs: read.int('WEBHOOK_TIMEOUT_MS', 5000, 100, 60_000),
      maxAttempts: read.int('WEBHOOK_MAX_ATTEMPTS', 6, 1, 20),
      backoffMs: read.int('WEBHOOK_BACKOFF_MS', 2000, 10, 3_600_000),
      allowPrivateTargets: read.bool('WEBHOOK_ALLOW_PRIVATE_TARGETS', false),
      allowedPorts: webhookPorts.includes('*') ? ('any' as const) : webhookPorts.map(Number),
    },
    retentionDays: {
      notifications: read.int('NOTIFICATION_RETENTION_DAYS', 90, 1, 3650),
      webhookDeliveries: read.int('WEBHOOK_DELIVERY_RETENTION_DAYS', 30, 1, 3650),
      outbox: read.int('OUTBOX_RETENTION_DAYS', 7, 1, 3650),
    },
  };

  if (problems.length > 0) throw new ConfigValidationError(problems);
  return new AppConfig({ ...values, ...extra });
}

/**
 * The Redis topology and what goes with it. REDIS_SENTINELS or REDIS_CLUSTER_NODES, when set,
 * choose that topology and REDIS_URL is not read (local defaults set it); otherwise REDIS_URL
 * names one server.
 */
function readRedis(read: EnvReader, problems: string[]): RedisConfig {
  const sentinels = read.optional('REDIS_SENTINELS');
  const clusterNodes = read.optional('REDIS_CLUSTER_NODES');
  let topology: RedisTopology;
  if (sentinels !== undefined && clusterNodes !== undefined) {
    problems.push('REDIS_SENTINELS and REDIS_CLUSTER_NODES are two topologies: set one of them');
  }
  if (sentinels !== undefined) {
    topology = {
      kind: 'sentinel',
      sentinels: parseRedisNodes('REDIS_SENTINELS', sentinels, problems),
      masterName: read.string('REDIS_SENTINEL_NAME') ?? '',
      sentinelUsername: read.optional('REDIS_SENTINEL_USERNAME'),
      sentinelPassword: read.optional('REDIS_SENTINEL_PASSWORD'),
      sentinelTls: read.bool('REDIS_SENTINEL_TLS', read.bool('REDIS_TLS', false)),
    };
  } else if (clusterNodes !== undefined) {
    topology = { kind: 'cluster', nodes: parseRedisNodes('REDIS_CLUSTER_NODES', clusterNodes, problems) };
  } else {
    topology = { kind: 'standalone', url: read.url('REDIS_URL', ['redis:', 'rediss:']) };
    for (const name of ['REDIS_USERNAME', 'REDIS_PASSWORD', 'REDIS_TLS', 'REDIS_SENTINEL_NAME']) {
      if (read.optional(name) !== undefined) {
        problems.push(`${name} applies to REDIS_SENTINELS or REDIS_CLUSTER_NODES; with REDIS_URL, credentials and TLS (rediss://) go in the URL`);
      }
    }
  }
  const keyPrefix = read.string('REDIS_KEY_PREFIX', 'conduit:') ?? '';
  // Redis Cluster hashes only the part of a key inside its first {...}: braces in the prefix would
  // put every key of the deployment in one slot, on one node.
  if (/[{}]/.test(keyPrefix)) problems.push('REDIS_KEY_PREFIX must not contain { or }: the keys carry their own hash tags (docs/scaling.md)');
  return {
    topology,
    username: read.optional('REDIS_USERNAME'),
    password: read.optional('REDIS_PASSWORD'),
    tls: read.bool('REDIS_TLS', false),
    keyPrefix,
    jobReplicas: read.int('REDIS_JOB_REPLICAS', topology.kind === 'standalone' ? 0 : 1, 0, 16),
  };
}

/** Express's named private ranges, or a CIDR of a private range wider than one subnet (/24, /64). */
function isWholePrivateRange(proxy: string): boolean {
  if (proxy === 'uniquelocal' || proxy === 'linklocal') return true;
  const [address, bits] = proxy.split('/');
  if (bits === undefined) return false;
  return address.includes(':') ? Number(bits) < 64 : Number(bits) < 24;
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  optional(name: string): string | undefined {
    return this.raw(name);
  }

  string(name: string, fallback?: string): string | undefined {
    const value = this.raw(name) ?? fallback;
    if (value === undefined) this.problems.push(`${name} is required`);
    return value;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = /^-?\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be an integer between ${min} and ${max} (got "${value}")`);
      return fallback;
    }
    return parsed;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes'].includes(value)) return true;
    if (['false', '0', 'no'].includes(value)) return false;
    this.problems.push(`${name} must be true or false (got "${value}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
    return fallback;
  }

  list(name: string, fallback: string[]): string[] {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    return value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  }

  url(name: string, protocols: string[]): string {
    const value = this.raw(name);
    if (value === undefined) {
      this.problems.push(`${name} is required (e.g. see .env.example)`);
      return '';
    }
    try {
      const url = new URL(value);
      if (!protocols.includes(url.protocol)) {
        this.problems.push(`${name} must use ${protocols.join(' or ')} (got "${url.protocol}")`);
      }
    } catch {
      this.problems.push(`${name} is not a valid URL`);
    }
    return value;
  }
}

/** For process entry points: the validated config, or a clear message on stderr and exit code 1. */
export function loadConfigOrExit(env: Env = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
