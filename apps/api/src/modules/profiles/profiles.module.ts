import { Module } from '@nestjs/common';
import { CacheModule } from '@app/cache';
import { UsersModule } from '../users';
import { FollowsRepository } from './follows.repository';
import { ProfilesController } from './profiles.controller';
import { ProfilesService } from './profiles.service';

declare module '@app/cache/cache-generations' {
  interface CacheGenerations {
    /** Who follows whom (feeds). */
    follows: true;
  }
}

/** Public profiles and follows. */
@Module({
  imports: [UsersModule, CacheModule.forFeature(['follows'])],
  controllers: [ProfilesController],
  providers: [ProfilesService, FollowsRepository],
  exports: [ProfilesService],
})
export class ProfilesModule {}
