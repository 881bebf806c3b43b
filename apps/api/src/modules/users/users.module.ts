import { Module } from '@nestjs/common';
import { CacheModule } from '@app/cache';
import { LoginLockout } from './login-lockout';
import { PasswordHasher } from './password-hasher';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

declare module '@app/cache/cache-generations' {
  interface CacheGenerations {
    /** Profiles: what articles and comments show of their authors. */
    users: true;
  }
}

/** Users and authentication: registration, login, the current user. Exports `UsersService` only. */
@Module({
  imports: [CacheModule.forFeature(['users'])],
  controllers: [UsersController],
  providers: [UsersService, UsersRepository, PasswordHasher, LoginLockout],
  exports: [UsersService],
})
export class UsersModule {}
