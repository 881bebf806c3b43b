import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotentRequests } from './idempotent-requests';
import { ResponseCipher } from './response-cipher';

/** Idempotency-Key on every POST, PUT and DELETE (docs/api.md#idempotency-key). */
@Module({
  providers: [IdempotentRequests, IdempotencyRepository, ResponseCipher, { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
})
export class IdempotencyModule {}
