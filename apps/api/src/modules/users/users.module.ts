import { Module } from '@nestjs/common';
import { LoginLockout } from './login-lockout';
import { PasswordHasher } from './password-hasher';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/** Users and authentication: registration, login, the current user. Exports `UsersService` only. */
@Module({
  controllers: [UsersController],
  providers: [UsersService, UsersRepository, PasswordHasher, LoginLockout],
  exports: [UsersService],
})
export class UsersModule {}
