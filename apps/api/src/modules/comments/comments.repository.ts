import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Tx } from '@app/database';
import { DataSource } from 'typeorm';
import { CommentView } from './comment';

/** `$1` is the viewer's id (NULL when anonymous), for the author's `following`. */
const VIEW_SELECT = `
  SELECT c.id, c.body, c.created_at, c.updated_at,
         u.username AS author_username, u.bio AS author_bio, u.image AS author_image,
         EXISTS (SELECT 1 FROM follows fo WHERE fo.follower_id = $1::int AND fo.followee_id = c.author_id) AS following
    FROM comments c
    JOIN users u ON u.id = c.author_id`;

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
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Newest first, like every list of this API. */
  async findByArticle(articleId: number, viewerId: number | undefined): Promise<CommentView[]> {
    const rows: CommentRow[] = await this.db.query(`${VIEW_SELECT} WHERE c.article_id = $2 ORDER BY c.created_at DESC, c.id DESC`, [
      viewerId ?? null,
      articleId,
    ]);
    return rows.map(toCommentView);
  }

  async insert(tx: Tx, articleId: number, authorId: number, body: string): Promise<CommentView> {
    const rows: CommentRow[] = await tx.query(
      `WITH c AS (INSERT INTO comments (article_id, author_id, body) VALUES ($2, $3, $4) RETURNING *)
       ${VIEW_SELECT.replace('FROM comments c', 'FROM c')}`,
      [authorId, articleId, authorId, body],
    );
    return toCommentView(rows[0]);
  }

  async findAuthorId(articleId: number, commentId: number): Promise<number | undefined> {
    const rows: { author_id: number }[] = await this.db.query('SELECT author_id FROM comments WHERE id = $1 AND article_id = $2', [
      commentId,
      articleId,
    ]);
    return rows[0]?.author_id;
  }

  async delete(commentId: number): Promise<void> {
    await this.db.query('DELETE FROM comments WHERE id = $1', [commentId]);
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
