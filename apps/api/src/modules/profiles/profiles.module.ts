import { Module } from '@nestjs/common';
import { UsersModule } from '../users';
import { FollowsRepository } from './follows.repository';
import { ProfilesController } from './profiles.controller';
import { ProfilesService } from './profiles.service';

/** Public profiles and follows. */
@Module({
  imports: [UsersModule],
  controllers: [ProfilesController],
  providers: [ProfilesService, FollowsRepository],
  exports: [ProfilesService],
})
export class ProfilesModule {}
