import { ExecutionContext, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '@app/config';
import type { Request } from 'express';
import { clientIdentityOf } from '../client-identity';
import { ConduitThrottlerGuard } from './conduit-throttler.guard';
import { RateLimitStorage } from './rate-limit.storage';
import { STRICT_RATE_LIMIT } from './strict-rate-limit.decorator';
import { CREDENTIALS_THROTTLER, GENERAL_THROTTLER } from './throttlers';

/** Health and metrics are probed by infrastructure, never limited. */
const isInfrastructure = (context: ExecutionContext) => {
  const path = context.switchToHttp().getRequest<Request>().path;
  return path.startsWith('/health') || path === '/metrics';
};
const isStrict = (context: ExecutionContext) => Reflect.getMetadata(STRICT_RATE_LIMIT, context.getHandler()) === true;

/** The shared counts, also for limits outside Nest's guards (the queue dashboard). */
@Module({
  providers: [{ provide: RateLimitStorage, inject: [AppConfig], useFactory: (config: AppConfig) => RateLimitStorage.connect(config) }],
  exports: [RateLimitStorage],
})
export class RateLimitStorageModule {}

/**
 * Per-client rate limits from config, counted in Redis so every instance
 * shares them: a general limit on every route and a much stricter one on
 * login and registration (`@StrictRateLimit()`).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [AppConfig, RateLimitStorage],
      useFactory: (config: AppConfig, storage: RateLimitStorage) => {
        const ttl = config.rateLimit.windowSeconds * 1000;
        return {
          storage,
          // The address, IPv6 per /64 (RATE_LIMIT_IPV6_PREFIX): rotating addresses inside one's own network changes nothing.
          getTracker: (req: object) => clientIdentityOf(req),
          throttlers: [
            { name: GENERAL_THROTTLER, ttl, limit: config.rateLimit.limit, skipIf: isInfrastructure },
            { name: CREDENTIALS_THROTTLER, ttl, limit: config.rateLimit.authLimit, skipIf: (context) => !isStrict(context) },
          ],
        };
      },
    }),
  ],
  // Registered before the auth guard (see AppModule), so floods are refused before any token work.
  providers: [{ provide: APP_GUARD, useClass: ConduitThrottlerGuard }],
})
export class RateLimitModule {}
