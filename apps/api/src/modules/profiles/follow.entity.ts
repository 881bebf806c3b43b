import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** follower_id follows followee_id; the composite key makes following idempotent. */
@Entity('follows')
export class FollowEntity {
  @PrimaryColumn({ name: 'follower_id', type: 'integer' })
  followerId: number;

  @PrimaryColumn({ name: 'followee_id', type: 'integer' })
  followeeId: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
