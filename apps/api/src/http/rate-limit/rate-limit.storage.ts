import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { AppConfig } from '@app/config';
import { withTimeout } from '@app/redis';

const TIMEOUT_MS = 250;

/**
 * Rate-limit counters in Redis, shared by every API instance. If Redis is
 * down or slow the limiter fails open (the request is allowed, a warning is
 * logged at most every 10 s): availability of the API beats enforcement of a
 * limit, and the gateway's own limits still apply. Owns its connection and
 * closes it on shutdown.
 */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: ThrottlerStorageRedisService;
  private lastWarning = 0;

  constructor(config: AppConfig) {
    this.redis = new ThrottlerStorageRedisService(config.redisUrl, {
      keyPrefix: `${config.redisKeyPrefix}throttle:`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 1000,
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
    });
    this.redis.redis.on('error', () => undefined);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    try {
      return await withTimeout(this.redis.increment(key, ttl, limit, blockDuration, throttlerName), TIMEOUT_MS, `no answer within ${TIMEOUT_MS} ms`);
    } catch (error) {
      if (Date.now() - this.lastWarning > 10_000) {
        this.lastWarning = Date.now();
        this.logger.warn(`rate limiting unavailable, allowing requests: ${(error as Error).message}`);
      }
      return { totalHits: 0, timeToExpire: ttl, isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.redis.quit().catch(() => this.redis.redis.disconnect());
  }
}
