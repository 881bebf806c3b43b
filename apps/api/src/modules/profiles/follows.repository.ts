import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Tx } from '@app/database';
import { Repository } from 'typeorm';
import { FollowEntity } from './follow.entity';

@Injectable()
export class FollowsRepository {
  constructor(@InjectRepository(FollowEntity) private readonly follows: Repository<FollowEntity>) {}

  async isFollowing(followerId: number | undefined, followeeId: number): Promise<boolean> {
    if (followerId === undefined) return false;
    return this.follows.existsBy({ followerId, followeeId });
  }

  /** Idempotent: following twice leaves one row (the primary key absorbs the repeat, even when racing). True when the row is new. */
  async follow(tx: Tx, followerId: number, followeeId: number): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      'INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1',
      [followerId, followeeId],
    );
    return rows.length > 0;
  }

  /** True when a follow was removed. */
  async unfollow(followerId: number, followeeId: number): Promise<boolean> {
    const result = await this.follows.delete({ followerId, followeeId });
    return (result.affected ?? 0) > 0;
  }
}
