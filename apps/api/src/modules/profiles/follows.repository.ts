import { Injectable } from '@nestjs/common';
import { Sql, statement } from '@app/database';
import { outboxInsert } from '@app/queue';

const IS_FOLLOWING = statement('SELECT EXISTS (SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2) AS following');
const UNFOLLOW = statement('DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2');

/** The follow and its `user.followed` event in one statement: the event exists only when the row is new. */
function followQuery(followerId: number, followeeId: number) {
  const params: unknown[] = [followerId, followeeId];
  const event = outboxInsert(params, { type: 'user.followed', payload: { followerId, followeeId } }, 'followed');
  const text = `
    WITH followed AS (INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1),
    event AS (${event})
    SELECT count(*)::int AS created FROM followed`;
  return { query: statement(text), params };
}

@Injectable()
export class FollowsRepository {
  constructor(private readonly sql: Sql) {}

  async isFollowing(followerId: number | undefined, followeeId: number): Promise<boolean> {
    if (followerId === undefined) return false;
    return (await this.sql.one<{ following: boolean }>(IS_FOLLOWING, [followerId, followeeId]))!.following;
  }

  /** Idempotent: following twice leaves one row and one event (the primary key absorbs the repeat, even when racing). True when the row is new. */
  async follow(followerId: number, followeeId: number): Promise<boolean> {
    const { query, params } = followQuery(followerId, followeeId);
    return (await this.sql.one<{ created: number }>(query, params))!.created > 0;
  }

  /** True when a follow was removed. */
  async unfollow(followerId: number, followeeId: number): Promise<boolean> {
    return (await this.sql.execute(UNFOLLOW, [followerId, followeeId])) > 0;
  }
}
