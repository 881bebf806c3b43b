/**
 * The one typed configuration object of the system. Built once from the
 * environment by `loadConfig`, validated, frozen, and injected wherever a
 * setting is needed: nothing else reads `process.env`.
 */
export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Argon2Config {
  /** Memory cost in KiB (OWASP 2024 minimum for argon2id: 19456 = 19 MiB). */
  readonly memoryKib: number;
  readonly timeCost: number;
  readonly parallelism: number;
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

  readonly databaseUrl: string;
  readonly databasePoolSize: number;
  /** Upper bound for any single SQL statement, so a slow query cannot hold a request forever. */
  readonly databaseStatementTimeoutMs: number;
  readonly databaseConnectTimeoutMs: number;

  readonly redisUrl: string;
  /** Prefix of every Redis key this deployment writes, so several runs can share one server. */
  readonly redisKeyPrefix: string;

  readonly jwtSecret: string;
  readonly jwtTtlSeconds: number;
  readonly jwtIssuer: string;

  readonly argon2: Argon2Config;

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }

  constructor(values: Omit<AppConfig, 'isProduction'>) {
    Object.assign(this, values);
    Object.freeze(this);
  }
}
