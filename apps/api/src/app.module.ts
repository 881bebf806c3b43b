import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuthModule } from '@app/auth';
import { CacheModule } from '@app/cache';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { ApiExceptionFilter, createValidationPipe, RejectUnstorableTextPipe } from '@app/errors';
import { LoggingModule } from '@app/logging';
import { MetricsModule } from '@app/metrics';
import { QueueModule } from '@app/queue';
import { RedisModule } from '@app/redis';
import { AdminModule } from './admin/admin.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './http/idempotency/idempotency.module';
import { LifecycleModule } from './http/lifecycle';
import { RateLimitModule } from './http/rate-limit/rate-limit.module';
import { ArticlesModule } from './modules/articles';
import { CommentsModule } from './modules/comments';
import { NotificationsModule } from './modules/notifications';
import { ProfilesModule } from './modules/profiles';
import { TagsModule } from './modules/tags';
import { UsersModule } from './modules/users';
import { WebhooksModule } from './modules/webhooks';

@Module({
  imports: [
    // platform
    ConfigModule,
    LoggingModule,
    DatabaseModule,
    RedisModule,
    MetricsModule,
    CacheModule,
    QueueModule.forRoot(),
    LifecycleModule,
    RateLimitModule,
    AuthModule,
    IdempotencyModule,
    HealthModule,
    AdminModule,
    // features
    UsersModule,
    ProfilesModule,
    ArticlesModule,
    CommentsModule,
    TagsModule,
    NotificationsModule,
    WebhooksModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    // unstorable text (NUL, lone surrogates) is refused before validation sees it
    { provide: APP_PIPE, useClass: RejectUnstorableTextPipe },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
export class AppModule {}
