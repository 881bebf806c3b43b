import { Injectable } from '@nestjs/common';
import { Sql, statement } from '@app/database';
import type { NotificationType } from '@app/queue';

export interface NotificationToWrite {
  readonly eventId: string;
  readonly type: NotificationType;
  readonly recipientId: number;
  readonly actorId: number;
  readonly articleId?: number;
  readonly commentId?: number;
  /** When the event happened; the notification's time (now when unknown). */
  readonly occurredAt?: string;
}

const WRITE = statement(`
  INSERT INTO notifications (event_id, type, recipient_id, actor_id, article_id, comment_id, created_at)
  SELECT $1, $2, $3, $4, $5, $6, coalesce($7::timestamptz, now())
   WHERE EXISTS (SELECT 1 FROM users WHERE id = $3) AND EXISTS (SELECT 1 FROM users WHERE id = $4)
     AND ($5::int IS NULL OR EXISTS (SELECT 1 FROM articles WHERE id = $5))
     AND ($6::int IS NULL OR EXISTS (SELECT 1 FROM comments WHERE id = $6))
  ON CONFLICT (event_id, recipient_id) DO NOTHING`);

const WRITE_ARTICLE_BATCH = statement(`
  WITH batch AS (
    SELECT follower_id FROM follows WHERE followee_id = $2 AND follower_id > $4 ORDER BY follower_id LIMIT $5),
  written AS (
    INSERT INTO notifications (event_id, type, recipient_id, actor_id, article_id, created_at)
    SELECT $1, 'article', follower_id, $2, $3, coalesce($6::timestamptz, now()) FROM batch
     WHERE EXISTS (SELECT 1 FROM articles WHERE id = $3)
    ON CONFLICT (event_id, recipient_id) DO NOTHING)
  SELECT count(*)::int AS followers, max(follower_id) AS last FROM batch`);

/**
 * Writes notifications. `(event_id, recipient_id)` is unique, so writing the
 * same event twice (a retried or re-delivered job) changes nothing; rows whose
 * subject was deleted meanwhile are skipped rather than failing the job.
 */
@Injectable()
export class NotificationsWriter {
  constructor(private readonly sql: Sql) {}

  async write(notification: NotificationToWrite): Promise<void> {
    await this.sql.execute(WRITE, [
      notification.eventId,
      notification.type,
      notification.recipientId,
      notification.actorId,
      notification.articleId ?? null,
      notification.commentId ?? null,
      notification.occurredAt ?? null,
    ]);
  }

  /**
   * Notifies the next batch of an author's followers (ids above `afterFollowerId`)
   * about a new article, in one statement; returns the last follower id of the
   * batch, or undefined when the batch was the last one.
   */
  async writeArticleBatch(
    eventId: string,
    articleId: number,
    authorId: number,
    afterFollowerId: number,
    batchSize: number,
    occurredAt: string | undefined,
  ): Promise<number | undefined> {
    const row = (await this.sql.one<{ followers: number; last: number | null }>(WRITE_ARTICLE_BATCH, [
      eventId,
      authorId,
      articleId,
      afterFollowerId,
      batchSize,
      occurredAt ?? null,
    ]))!;
    return row.followers === batchSize && row.last !== null ? row.last : undefined;
  }
}
