import { Injectable } from '@nestjs/common';
import { Sql, Statement, statement } from '@app/database';
import { outboxInsert } from '@app/queue';
import { ArticleOwnership } from './article';
import { articleViewColumns, ArticleRow } from './articles.repository';

export interface FavoriteChange {
  /** The article after the change, as every viewer sees it. */
  readonly article: ArticleRow;
  /** False when there was nothing to do (already favorited, or not favorited). */
  readonly changed: boolean;
}

/**
 * Favoriting is one statement: the favorite row, the article's counter and
 * (for a new favorite) the `article.favorited` event change together or not at
 * all, with no transaction round trips. The counter moves only when a row is
 * inserted or deleted, so it stays exact under any concurrency; the article
 * read back is the counted row (or the untouched one), with its author, tags
 * and whether the viewer follows the author.
 */
function favoriteQuery(userId: number, article: ArticleOwnership, adding: boolean): { query: Statement; params: unknown[] } {
  const params: unknown[] = [userId, article.id];
  const change = adding
    ? 'INSERT INTO favorites (user_id, article_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING article_id'
    : 'DELETE FROM favorites WHERE user_id = $1 AND article_id = $2 RETURNING article_id';
  const event = adding
    ? `, event AS (${outboxInsert(params, { type: 'article.favorited', payload: { articleId: article.id, authorId: article.authorId, userId } }, 'changed')})`
    : '';
  const text = `
    WITH changed AS (${change}),
    counted AS (
      UPDATE articles SET favorites_count = favorites_count ${adding ? '+' : '-'} 1
       WHERE id = (SELECT article_id FROM changed) RETURNING *)
    ${event}
    SELECT ${articleViewColumns({ body: true })},
           EXISTS (SELECT 1 FROM follows fo WHERE fo.follower_id = $1 AND fo.followee_id = a.author_id) AS following,
           EXISTS (SELECT 1 FROM counted) AS changed
      FROM (SELECT * FROM counted
            UNION ALL
            SELECT * FROM articles WHERE id = $2 AND NOT EXISTS (SELECT 1 FROM counted)) a
      JOIN users u ON u.id = a.author_id`;
  return { query: statement(text), params };
}

@Injectable()
export class FavoritesRepository {
  constructor(private readonly sql: Sql) {}

  /** Undefined when the article is gone. */
  async add(userId: number, article: ArticleOwnership): Promise<FavoriteChange | undefined> {
    return this.change(userId, article, true);
  }

  async remove(userId: number, article: ArticleOwnership): Promise<FavoriteChange | undefined> {
    return this.change(userId, article, false);
  }

  private async change(userId: number, article: ArticleOwnership, adding: boolean): Promise<FavoriteChange | undefined> {
    const { query, params } = favoriteQuery(userId, article, adding);
    const row = await this.sql.one<ArticleRow & { following: boolean; changed: boolean }>(query, params);
    if (row === undefined) return undefined;
    const { changed, ...articleRow } = row;
    return { article: articleRow, changed };
  }
}
