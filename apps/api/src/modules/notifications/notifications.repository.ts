import { Injectable } from '@nestjs/common';
import { Sql, statement } from '@app/database';
import { Page } from '@app/paging';
import { NotificationView } from './notification';

interface NotificationRow {
  id: string;
  event_id: string;
  type: NotificationView['type'];
  created_at: Date;
  read_at: Date | null;
  actor_username: string;
  actor_image: string | null;
  article_slug: string | null;
  article_title: string | null;
  comment_id: number | null;
  comment_body: string | null;
}

/**
 * One page, newest event first (after the position $4 event id, $5 id when given), with the recipient's total and unread counts
 * from the same statement (one snapshot: the counts always match the page).
 */
const PAGE_WITH_COUNTS = statement(`WITH page AS (
         SELECT n.id, n.event_id, n.type, n.created_at, n.read_at,
                u.username AS actor_username, u.image AS actor_image,
                a.slug AS article_slug, a.title AS article_title, c.id AS comment_id, c.body AS comment_body
           FROM notifications n
           JOIN users u ON u.id = n.actor_id
           LEFT JOIN articles a ON a.id = n.article_id
           LEFT JOIN comments c ON c.id = n.comment_id
          WHERE n.recipient_id = $1
            AND ($4::bigint IS NULL OR (n.event_id, n.id) < ($4::bigint, $5::bigint))
          ORDER BY n.event_id DESC, n.id DESC
          LIMIT $2 OFFSET $3)
       SELECT counts.total, counts.unread, page.id::text AS id, page.event_id::text AS event_id, page.type, page.created_at, page.read_at,
              page.actor_username, page.actor_image, page.article_slug, page.article_title, page.comment_id, page.comment_body
         FROM (SELECT count(*)::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread
                 FROM notifications WHERE recipient_id = $1) AS counts
         LEFT JOIN page ON true
        ORDER BY page.event_id DESC, page.id DESC`);
const COUNTS = statement('SELECT count(*)::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread FROM notifications WHERE recipient_id = $1');
const MARK_READ = statement(`
  UPDATE notifications SET read_at = now()
   WHERE recipient_id = $1 AND read_at IS NULL AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))`);

/** A notification's place in the list's order: its event's id and its own (bigints, as text). */
export interface NotificationPosition {
  readonly eventId: string;
  readonly id: string;
}

/** Reads and marks the notifications the worker writes. */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly sql: Sql) {}

  /** `limit` + `offset`, or `limit` after a position; each notification with its position. */
  async findPageWithCounts(
    recipientId: number,
    page: Page & { after?: NotificationPosition },
  ): Promise<{ notifications: { notification: NotificationView; position: NotificationPosition }[]; total: number; unread: number }> {
    const rows = await this.sql.rows<Partial<NotificationRow> & { total: number; unread: number }>(PAGE_WITH_COUNTS, [
      recipientId,
      page.limit,
      page.offset,
      page.after?.eventId ?? null,
      page.after?.id ?? null,
    ]);
    const [{ total, unread }] = rows;
    const notifications = rows
      .filter((row) => row.id !== null)
      .map((row) => ({ notification: toView(row as NotificationRow), position: { eventId: row.event_id!, id: row.id! } }));
    return { notifications, total, unread };
  }

  async counts(recipientId: number): Promise<{ total: number; unread: number }> {
    return (await this.sql.one<{ total: number; unread: number }>(COUNTS, [recipientId]))!;
  }

  /** Marks the given notifications (or all, when `ids` is undefined) of this recipient read. */
  async markRead(recipientId: number, ids: readonly number[] | undefined): Promise<void> {
    await this.sql.execute(MARK_READ, [recipientId, ids ?? null]);
  }
}

function toView(row: NotificationRow): NotificationView {
  return {
    id: Number(row.id),
    type: row.type,
    createdAt: row.created_at.toISOString(),
    read: row.read_at !== null,
    actor: { username: row.actor_username, image: row.actor_image },
    article: row.article_slug === null ? null : { slug: row.article_slug, title: row.article_title ?? '' },
    comment: row.comment_id === null ? null : { id: row.comment_id, body: row.comment_body ?? '' },
  };
}
