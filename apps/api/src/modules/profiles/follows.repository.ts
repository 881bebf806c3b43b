import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { FollowEntity } from './follow.entity';

@Injectable()
export class FollowsRepository {
  constructor(@InjectRepository(FollowEntity) private readonly follows: Repository<FollowEntity>) {}

  async isFollowing(followerId: number | undefined, followeeId: number): Promise<boolean> {
    if (followerId === undefined) return false;
    return this.follows.existsBy({ followerId, followeeId });
  }

  /** Idempotent: following twice leaves one row (the primary key absorbs the repeat, even when racing). */
  async follow(followerId: number, followeeId: number): Promise<void> {
    await this.follows.createQueryBuilder().insert().values({ followerId, followeeId }).orIgnore().execute();
  }

  async unfollow(followerId: number, followeeId: number): Promise<void> {
    await this.follows.delete({ followerId, followeeId });
  }
}
