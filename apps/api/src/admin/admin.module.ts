import { Logger, Module } from '@nestjs/common';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { AppConfig } from '@app/config';
import { METRICS } from '@app/metrics';
import { ALL_QUEUES } from '@app/queue';
import { getToken } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { clientIdentityOf } from '../http/client-identity';
import { RateLimitStorageModule } from '../http/rate-limit/rate-limit.module';
import { RateLimitStorage } from '../http/rate-limit/rate-limit.storage';
import { CREDENTIALS_THROTTLER } from '../http/rate-limit/throttlers';
import { adminGate } from './admin-basic-auth';

/**
 * The queue dashboard (bull-board) at /admin/queues, behind Basic auth with
 * ADMIN_USERNAME / ADMIN_PASSWORD and a per-client limit (ADMIN_RATE_LIMIT per
 * window, counted exactly in Redis like the credentials limit). Failed logins
 * are logged and counted (conduit_admin_auth_failures_total).
 */
@Module({
  imports: [
    BullBoardModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [AppConfig, RateLimitStorage, getToken(METRICS.adminAuthFailures)],
      useFactory: (config: AppConfig, storage: RateLimitStorage, failures: Counter<string>) => {
        const logger = new Logger('AdminAuth');
        const windowMs = config.rateLimit.windowSeconds * 1000;
        return {
          route: '/admin/queues',
          adapter: ExpressAdapter,
          middleware: adminGate({
            credentials: config.admin,
            limit: async (req) => {
              const record = await storage.increment(`admin:${clientIdentityOf(req)}`, windowMs, config.rateLimit.adminLimit, windowMs, CREDENTIALS_THROTTLER);
              return record.isBlocked ? Math.max(1, Math.ceil(record.timeToBlockExpire)) : undefined;
            },
            failed: (req) => {
              failures.inc();
              logger.warn(`failed admin login from ${clientIdentityOf(req)} (${req.method} ${req.originalUrl})`);
            },
          }),
          boardOptions: { uiConfig: { boardTitle: 'Conduit queues' } },
        };
      },
    }),
    BullBoardModule.forFeature(...ALL_QUEUES.map((name) => ({ name, adapter: BullMQAdapter }))),
  ],
})
export class AdminModule {}
