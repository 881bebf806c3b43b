import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { RevocationsRepository } from './revocations.repository';
import { TokenRevocations } from './token-revocations';
import { TokenService } from './token.service';

/**
 * Issues, checks and revokes tokens; the guard runs on every route and acts where a route asks
 * for it. Needs the database and Redis modules (revocations are stored in one, announced on the other).
 */
@Global()
@Module({
  providers: [TokenService, RevocationsRepository, TokenRevocations, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenService, TokenRevocations],
})
export class AuthModule {}
