import { Injectable } from '@nestjs/common';
import { Sql, Statement, statement } from '@app/database';
import { outboxInsert } from '@app/queue';
import { CommentView } from './comment';

/**
 * Comment views from `source` (the comments table, or the CTE of a new
 * comment), each row as `c`; `$1` is the viewer's id (NULL when anonymous),
 * for the author's `following`.
 */
const viewSelect = (source: string) => `
  SELECT c.id, c.body, c.created_at, c.updated_at,
         u.username AS author_username, u.bio AS author_bio, u.image AS author_image,
         EXISTS (SELECT 1 FROM follows fo WHERE fo.follower_id = $1::int AND fo.followee_id = c.author_id) AS following
    FROM ${source} c
    JOIN users u ON u.id = c.author_id`;

/**
 * Newest first, after the position ($3 the date in epoch microseconds, exact where a JS date
 * would cut it to milliseconds, and $4 the id; NULL: from the start), at most $5 (NULL: all).
 * Each row's own position comes along for the next cursor.
 */
const BY_ARTICLE = statement(`
  SELECT page.*, (extract(epoch FROM page.created_at) * 1000000)::bigint::text AS position_micros FROM (${viewSelect('comments')}
   WHERE c.article_id = $2
     AND ($3::bigint IS NULL OR (c.created_at, c.id) < (timestamptz 'epoch' + $3::bigint * interval '1 microsecond', $4::int))
   ORDER BY c.created_at DESC, c.id DESC
   LIMIT $5) page
   ORDER BY page.created_at DESC, page.id DESC`);
const AUTHOR_OF = statement('SELECT author_id FROM comments WHERE id = $1 AND article_id = $2');
const DELETE = statement('DELETE FROM comments WHERE id = $1');

/** The comment and its `comment.created` event (which takes the new comment's id) in one statement. */
function insertQuery(article: { id: number; authorId: number }, authorId: number, body: string): { query: Statement; params: unknown[] } {
  const params: unknown[] = [authorId, article.id, body];
  const event = outboxInsert(
    params,
    {
      type: 'comment.created',
      payload: { articleId: article.id, articleAuthorId: article.authorId, authorId },
      generatedId: { field: 'commentId', column: 'id' },
    },
    'inserted',
  );
  const text = `
    WITH inserted AS (INSERT INTO comments (article_id, author_id, body) VALUES ($2, $1, $3) RETURNING *),
    event AS (${event})
    ${viewSelect('inserted')}`;
  return { query: statement(text), params };
}

/** A comment's place in the newest-first order: its date in epoch microseconds (as text, exact) and id. */
export interface CommentPosition {
  readonly micros: string;
  readonly id: number;
}

interface CommentRow {
  id: number;
  body: string;
  created_at: Date;
  updated_at: Date;
  author_username: string;
  author_bio: string | null;
  author_image: string | null;
  following: boolean;
}

@Injectable()
export class CommentsRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Newest first, like every list of this API: the first `limit` (all when undefined) after
   * `after` (from the start when undefined), each with its position in that order.
   */
  async findByArticle(
    articleId: number,
    viewerId: number | undefined,
    page: { after?: CommentPosition; limit?: number } = {},
  ): Promise<{ comment: CommentView; position: CommentPosition }[]> {
    const rows = await this.sql.rows<CommentRow & { position_micros: string }>(BY_ARTICLE, [
      viewerId ?? null,
      articleId,
      page.after?.micros ?? null,
      page.after?.id ?? null,
      page.limit ?? null,
    ]);
    return rows.map((row) => ({ comment: toCommentView(row), position: { micros: row.position_micros, id: row.id } }));
  }

  /** The comment and its event, atomically (one statement). */
  async insert(article: { id: number; authorId: number }, authorId: number, body: string): Promise<CommentView> {
    const { query, params } = insertQuery(article, authorId, body);
    return toCommentView((await this.sql.one<CommentRow>(query, params))!);
  }

  async findAuthorId(articleId: number, commentId: number): Promise<number | undefined> {
    return (await this.sql.one<{ author_id: number }>(AUTHOR_OF, [commentId, articleId]))?.author_id;
  }

  async delete(commentId: number): Promise<void> {
    await this.sql.execute(DELETE, [commentId]);
  }
}

function toCommentView(row: CommentRow): CommentView {
  return {
    id: row.id,
    body: row.body,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    author: { username: row.author_username, bio: row.author_bio, image: row.author_image, following: row.following },
  };
}
