import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuthModule } from '@app/auth';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { ApiExceptionFilter, createValidationPipe, RejectUnstorableTextPipe } from '@app/errors';
import { LoggingModule } from '@app/logging';
import { RedisModule } from '@app/redis';
import { HealthModule } from './health/health.module';
import { ArticlesModule } from './modules/articles';
import { CommentsModule } from './modules/comments';
import { ProfilesModule } from './modules/profiles';
import { TagsModule } from './modules/tags';
import { UsersModule } from './modules/users';

@Module({
  imports: [
    // platform
    ConfigModule,
    LoggingModule,
    DatabaseModule,
    RedisModule,
    AuthModule,
    HealthModule,
    // features
    UsersModule,
    ProfilesModule,
    ArticlesModule,
    CommentsModule,
    TagsModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    // unstorable text (NUL, lone surrogates) is refused before validation sees it
    { provide: APP_PIPE, useClass: RejectUnstorableTextPipe },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
export class AppModule {}
