import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users';
import { FollowEntity } from './follow.entity';
import { FollowsRepository } from './follows.repository';
import { ProfilesController } from './profiles.controller';
import { ProfilesService } from './profiles.service';

/** Public profiles and follows. */
@Module({
  imports: [TypeOrmModule.forFeature([FollowEntity]), UsersModule],
  controllers: [ProfilesController],
  providers: [ProfilesService, FollowsRepository],
  exports: [ProfilesService],
})
export class ProfilesModule {}
