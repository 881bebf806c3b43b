import type { RedisConfig } from './redis-config';

/**
 * The one typed configuration object of the system. Built once from the
 * environment by `loadConfig`, validated, frozen, and injected wherever a
 * setting is needed: nothing else reads `process.env`.
 */
export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** When a stopping API instance refuses new connections: at the start or at the end of its drain. */
export type StopAccepting = 'drain-start' | 'drain-end';
export const STOP_ACCEPTING: readonly StopAccepting[] = ['drain-start', 'drain-end'];

/**
 * What DATABASE_URL points at: PostgreSQL itself or a session pooler (`session`), or a pooler in
 * transaction mode such as PgBouncer's `pool_mode = transaction` (`transaction`): then a
 * connection's server changes between transactions, so nothing may rely on a session (no startup
 * parameters, no named prepared statements, no session locks).
 */
export type DatabasePooling = 'session' | 'transaction';
/** PostgreSQL's built-in text search configurations (`simple`: no stemming, no stop words). */
export const SEARCH_LANGUAGES = [
  'simple',
  'arabic',
  'armenian',
  'basque',
  'catalan',
  'danish',
  'dutch',
  'english',
  'finnish',
  'french',
  'german',
  'greek',
  'hindi',
  'hungarian',
  'indonesian',
  'irish',
  'italian',
  'lithuanian',
  'nepali',
  'norwegian',
  'portuguese',
  'romanian',
  'russian',
  'serbian',
  'spanish',
  'swedish',
  'tamil',
  'turkish',
  'yiddish',
] as const;
export type SearchLanguage = (typeof SEARCH_LANGUAGES)[number];

export const DATABASE_POOLING: readonly DatabasePooling[] = ['session', 'transaction'];

export type { RedisConfig, RedisNode, RedisTopology, RedisTopologyKind } from './redis-config';

export interface Argon2Config {
  /** Memory cost in KiB (OWASP 2024 minimum for argon2id: 19456 = 19 MiB). */
  readonly memoryKib: number;
  readonly timeCost: number;
  readonly parallelism: number;
  /** Hashes running at once per process; the rest queue, so logins cannot take every core. */
  readonly maxConcurrent: number;
  /** Hashes waiting for a thread per process; beyond it logins and registrations get 503 at once. */
  readonly maxQueued: number;
}

export class AppConfig {
  readonly nodeEnv: NodeEnv;
  readonly host: string;
  readonly port: number;
  readonly logLevel: LogLevel;
  /** Largest accepted JSON request body, in bytes; larger ones get 413. */
  readonly bodyLimitBytes: number;
  /** Allowed CORS origins; `['*']` allows any origin. */
  readonly corsOrigins: readonly string[];
  readonly swaggerEnabled: boolean;
  /** Seconds an idle keep-alive socket stays open; above any proxy's idle timeout. */
  readonly keepAliveTimeoutSeconds: number;
  /**
   * Addresses whose X-Forwarded-For/Proto and X-Request-Id are believed (Express "trust proxy"
   * values: IPs, CIDRs, `loopback`). Empty: the peer itself is the client. Production refuses
   * whole private ranges (`uniquelocal`, a /8): only the gateway's own addresses belong here.
   */
  readonly trustedProxies: readonly string[];
  /**
   * Graceful stop: after SIGTERM the instance keeps serving (answering with `Connection: close`
   * and readiness 503) for `drainMs`, long enough for a gateway to stop reusing its idle
   * connections; then it stops accepting and gives in-flight requests up to `timeoutMs`.
   *
   * `stopAccepting` says when new connections are refused: `drain-end` (default) suits a
   * platform that takes the instance out of rotation during the drain (Kubernetes drops a
   * terminating pod's endpoints); `drain-start` suits a gateway with a fixed list of upstreams
   * (nginx in `npm start` and Compose), which only stops sending to an instance that refuses
   * connections, and then passes the refused request to another instance, POSTs included.
   */
  readonly shutdown: { readonly drainMs: number; readonly timeoutMs: number; readonly stopAccepting: StopAccepting };

  readonly databaseUrl: string;
  /** DATABASE_POOLING: how DATABASE_URL's connections behave (see DatabasePooling). */
  readonly databasePooling: DatabasePooling;
  /**
   * DATABASE_DIRECT_URL (DATABASE_URL by default): PostgreSQL without a transaction pooler, for
   * what needs a session: the migrator (its advisory lock) and the session defaults it sets.
   */
  readonly databaseDirectUrl: string;
  /** API processes sharing the port (node:cluster); each has its own pool of DATABASE_POOL_SIZE. */
  readonly httpWorkers: number;
  readonly databasePoolSize: number;
  /** Upper bound for any single SQL statement, so a slow query cannot hold a request forever. */
  readonly databaseStatementTimeoutMs: number;
  readonly databaseConnectTimeoutMs: number;

  /** Where Redis is (standalone, Sentinel or Cluster) and how to use it; every connection is made from it by @app/redis. */
  readonly redis: RedisConfig;

  /** Upper bound on how long a cached entry may be served after a write it missed (see docs/caching.md). */
  readonly cacheTtlSeconds: number;
  /** Longest a single cache call may take before the read falls back to PostgreSQL. */
  readonly cacheTimeoutMs: number;
  /** Public article list pages starting below this offset are cached. */
  readonly cacheListMaxOffset: number;
  /** Memory each process may give to its own copy of hot cache entries (0: none; docs/caching.md). */
  readonly cacheLocalMaxMiB: number;

  /** SEARCH_LANGUAGE: PostgreSQL's text search configuration for article search (stemming, stop words); applied by `migrate`. */
  readonly searchLanguage: SearchLanguage;

  readonly jwtSecret: string;
  readonly jwtTtlSeconds: number;
  readonly jwtIssuer: string;
  /**
   * How often each API instance reads new token revocations from PostgreSQL: the longest a
   * logout or password change takes to reach the other instances when Redis (which announces
   * them at once) is down (docs/security.md).
   */
  readonly tokenRevocationPollMs: number;
  /** How long the answer to a request with an Idempotency-Key is kept for its retries (docs/api.md). */
  readonly idempotencyKeyTtlSeconds: number;

  readonly argon2: Argon2Config;

  /**
   * Requests per client address per window on every route, and on login/registration;
   * `syncIntervalMs`: how often hits counted locally reach the shared count (0: every hit before its decision).
   */
  readonly rateLimit: {
    readonly windowSeconds: number;
    readonly limit: number;
    readonly authLimit: number;
    readonly syncIntervalMs: number;
    /** IPv6 clients are counted per network of this many leading bits (a /64 is what one subscriber gets). */
    readonly ipv6PrefixBits: number;
    /** Requests per client per window to the queue dashboard (/admin/queues). */
    readonly adminLimit: number;
  };

  /**
   * Per account and client address besides the per-address rate limits: after `threshold` failed
   * logins within `windowSeconds`, that address may not try that account for `baseSeconds`,
   * doubling with each further failure up to `maxSeconds`. Once the account has `accountThreshold`
   * failures from all addresses together, every address gets one try before its wait (docs/security.md).
   */
  readonly loginLockout: {
    readonly threshold: number;
    readonly accountThreshold: number;
    readonly baseSeconds: number;
    readonly maxSeconds: number;
    readonly windowSeconds: number;
  };

  /** Basic-auth credentials of the queue dashboard (/admin/queues); the dashboard is off when unset. */
  readonly admin: { readonly username: string; readonly password: string } | undefined;

  readonly worker: {
    readonly metricsPort: number;
    readonly concurrency: number;
    readonly outboxPollIntervalMs: number;
    readonly fanoutBatchSize: number;
    readonly maintenanceIntervalMs: number;
  };

  readonly webhooks: {
    readonly timeoutMs: number;
    readonly maxAttempts: number;
    /** First retry delay; each next one doubles. */
    readonly backoffMs: number;
    /** Deliver to loopback, private and other special-purpose networks (off by default everywhere: no SSRF). */
    readonly allowPrivateTargets: boolean;
    /** Ports a webhook URL may name (default 80 and 443), or `any`. */
    readonly allowedPorts: readonly number[] | 'any';
  };

  readonly retentionDays: { readonly notifications: number; readonly webhookDeliveries: number; readonly outbox: number };

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }

  constructor(values: Omit<AppConfig, 'isProduction'>) {
    Object.assign(this, values);
    Object.freeze(this);
  }
}
