import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type NotificationType = 'follow' | 'favorite' | 'comment' | 'article';

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

/**
 * Writes notifications. `(event_id, recipient_id)` is unique, so writing the
 * same event twice (a retried or re-delivered job) changes nothing; rows whose
 * subject was deleted meanwhile are skipped rather than failing the job.
 */
@Injectable()
export class NotificationsWriter {
  constructor(private readonly db: DataSource) {}

  async write(notification: NotificationToWrite): Promise<void> {
    await this.db.query(
      `INSERT INTO notifications (event_id, type, recipient_id, actor_id, article_id, comment_id, created_at)
       SELECT $1, $2, $3, $4, $5, $6, coalesce($7::timestamptz, now())
        WHERE EXISTS (SELECT 1 FROM users WHERE id = $3) AND EXISTS (SELECT 1 FROM users WHERE id = $4)
          AND ($5::int IS NULL OR EXISTS (SELECT 1 FROM articles WHERE id = $5))
          AND ($6::int IS NULL OR EXISTS (SELECT 1 FROM comments WHERE id = $6))
       ON CONFLICT (event_id, recipient_id) DO NOTHING`,
      [notification.eventId, notification.type, notification.recipientId, notification.actorId, notification.articleId ?? null, notification.commentId ?? null, notification.occurredAt ?? null],
    );
  }

  /**
   * Notifies the next batch of an author's followers (ids above `afterFollowerId`)
   * about a new article; returns the last follower id of the batch, or undefined
   * when the batch was the last one.
   */
  async writeArticleBatch(
    eventId: string,
    articleId: number,
    authorId: number,
    afterFollowerId: number,
    batchSize: number,
    occurredAt: string | undefined,
  ): Promise<number | undefined> {
    const followers: { follower_id: number }[] = await this.db.query(
      'SELECT follower_id FROM follows WHERE followee_id = $1 AND follower_id > $2 ORDER BY follower_id LIMIT $3',
      [authorId, afterFollowerId, batchSize],
    );
    if (followers.length === 0) return undefined;
    const ids = followers.map((row) => row.follower_id);
    await this.db.query(
      `INSERT INTO notifications (event_id, type, recipient_id, actor_id, article_id, created_at)
       SELECT $1, 'article', recipient, $2, $3, coalesce($5::timestamptz, now()) FROM unnest($4::int[]) AS recipient
        WHERE EXISTS (SELECT 1 FROM articles WHERE id = $3)
       ON CONFLICT (event_id, recipient_id) DO NOTHING`,
      [eventId, authorId, articleId, ids, occurredAt ?? null],
    );
    return followers.length === batchSize ? ids[ids.length - 1] : undefined;
  }
}
