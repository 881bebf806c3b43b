import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { rowsOf, Tx } from '@app/database';
import { isUniqueViolation } from '@app/errors';
import { Page } from '@app/paging';
import { DataSource } from 'typeorm';
import { ArticleFields, ArticleFilter, ArticleOwnership, ArticleView, ViewerState } from './article';

/**
 * Article reads are one SQL statement each: author, tags and the viewer's
 * `favorited`/`following` come from joins and sub-selects, never from a query
 * per row. `$1` is always the viewer's id (NULL when anonymous).
 */
const VIEW_COLUMNS = `
  a.id, a.author_id, a.slug, a.title, a.description, a.created_at, a.updated_at, a.favorites_count,
  u.username AS author_username, u.bio AS author_bio, u.image AS author_image,
  ARRAY(SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
         WHERE at.article_id = a.id ORDER BY t.name) AS tag_list,
  EXISTS (SELECT 1 FROM favorites f WHERE f.article_id = a.id AND f.user_id = $1::int) AS favorited,
  EXISTS (SELECT 1 FROM follows fo WHERE fo.follower_id = $1::int AND fo.followee_id = a.author_id) AS following`;

interface ArticleRow {
  id: number;
  author_id: number;
  slug: string;
  title: string;
  description: string;
  body?: string;
  created_at: Date;
  updated_at: Date;
  favorites_count: number;
  author_username: string;
  author_bio: string | null;
  author_image: string | null;
  tag_list: string[];
  favorited: boolean;
  following: boolean;
}

@Injectable()
export class ArticlesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** One page, newest first (ties broken by id so paging is stable). */
  async findPage(filter: ArticleFilter, viewerId: number | undefined, page: Page): Promise<ArticleView[]> {
    const params: unknown[] = [viewerId ?? null];
    const where = whereClause(filter, params);
    params.push(page.limit, page.offset);
    const rows: ArticleRow[] = await this.db.query(
      `SELECT ${VIEW_COLUMNS}
         FROM articles a
         JOIN users u ON u.id = a.author_id
        ${where}
        ORDER BY a.created_at DESC, a.id DESC
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return rows.map(toArticleView);
  }

  /** How many articles match the filter in all (the list's `articlesCount`). */
  async count(filter: ArticleFilter): Promise<number> {
    const params: unknown[] = [];
    const rows: { count: number }[] = await this.db.query(countQuery(filter, params), params);
    return rows[0].count;
  }

  findBySlug(slug: string, viewerId: number | undefined, tx?: Tx): Promise<ArticleView | undefined> {
    return this.findOne('a.slug = $2', slug, viewerId, tx);
  }

  findById(id: number, viewerId: number | undefined, tx?: Tx): Promise<ArticleView | undefined> {
    return this.findOne('a.id = $2', id, viewerId, tx);
  }

  private async findOne(condition: string, key: unknown, viewerId: number | undefined, tx?: Tx): Promise<ArticleView | undefined> {
    const rows: ArticleRow[] = await (tx ?? this.db).query(
      `SELECT ${VIEW_COLUMNS}, a.body
         FROM articles a
         JOIN users u ON u.id = a.author_id
        WHERE ${condition}`,
      [viewerId ?? null, key],
    );
    return rows.length > 0 ? toArticleView(rows[0]) : undefined;
  }

  /** Of these articles and authors, which the viewer favorited and follows: one statement. */
  async viewerState(viewerId: number, articleIds: readonly number[], authorIds: readonly number[]): Promise<ViewerState> {
    const [row]: { favorited: number[]; following: number[] }[] = await this.db.query(
      `SELECT ARRAY(SELECT article_id FROM favorites WHERE user_id = $1 AND article_id = ANY($2::int[])) AS favorited,
              ARRAY(SELECT followee_id FROM follows WHERE follower_id = $1 AND followee_id = ANY($3::int[])) AS following`,
      [viewerId, articleIds, authorIds],
    );
    return { favoritedArticleIds: new Set(row.favorited), followedAuthorIds: new Set(row.following) };
  }

  async findOwnership(slug: string, tx?: Tx): Promise<ArticleOwnership | undefined> {
    // FOR UPDATE inside a transaction: the row cannot change or vanish before the caller's writes.
    const rows: { id: number; author_id: number; title: string }[] = await (tx ?? this.db).query(
      `SELECT id, author_id, title FROM articles WHERE slug = $1${tx ? ' FOR UPDATE' : ''}`,
      [slug],
    );
    return rows.length > 0 ? { id: rows[0].id, authorId: rows[0].author_id, slug, title: rows[0].title } : undefined;
  }

  /** Inserts the article, or returns undefined (changing nothing) when the slug is taken. */
  async tryInsert(tx: Tx, authorId: number, slug: string, fields: ArticleFields): Promise<number | undefined> {
    const rows: { id: number }[] = await tx.query(
      `INSERT INTO articles (slug, title, description, body, author_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (slug) DO NOTHING
       RETURNING id`,
      [slug, fields.title, fields.description, fields.body, authorId],
    );
    return rows[0]?.id;
  }

  /** Changes the slug, or returns false (changing nothing) when another article has it. */
  async trySetSlug(tx: Tx, id: number, slug: string): Promise<boolean> {
    // A savepoint keeps the surrounding transaction usable after a unique violation.
    await tx.query('SAVEPOINT set_slug');
    try {
      await tx.query('UPDATE articles SET slug = $2 WHERE id = $1', [id, slug]);
      await tx.query('RELEASE SAVEPOINT set_slug');
      return true;
    } catch (error) {
      await tx.query('ROLLBACK TO SAVEPOINT set_slug');
      if (isUniqueViolation(error, 'articles_slug_unique')) return false;
      throw error;
    }
  }

  /** Updates the given fields (and `updated_at`); false when the article no longer exists. */
  async update(tx: Tx, id: number, fields: Partial<ArticleFields>): Promise<boolean> {
    const params: unknown[] = [id];
    const assignments = (['title', 'description', 'body'] as const)
      .filter((column) => fields[column] !== undefined)
      .map((column) => `${column} = $${params.push(fields[column])}`);
    const rows: unknown[] = await tx.query(
      `UPDATE articles SET ${[...assignments, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING id`,
      params,
    );
    return rowsOf(rows).length > 0;
  }

  async replaceTags(tx: Tx, articleId: number, tagIds: readonly number[]): Promise<void> {
    await tx.query('DELETE FROM article_tags WHERE article_id = $1', [articleId]);
    if (tagIds.length === 0) return;
    await tx.query(
      'INSERT INTO article_tags (article_id, tag_id) SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING',
      [articleId, tagIds],
    );
  }

  /** Deletes the article; comments, favorites and tag links go with it (ON DELETE CASCADE). */
  async delete(tx: Tx, id: number): Promise<void> {
    await tx.query('DELETE FROM articles WHERE id = $1', [id]);
  }

  async adjustFavoritesCount(tx: Tx, id: number, delta: 1 | -1): Promise<void> {
    await tx.query('UPDATE articles SET favorites_count = favorites_count + $2 WHERE id = $1', [id, delta]);
  }
}

/**
 * Counting a lone tag or favorited filter needs only its link table (every
 * link points at an existing article, by foreign key): an index-only count of
 * the matches instead of a walk over every article.
 */
function countQuery(filter: ArticleFilter, params: unknown[]): string {
  const used = Object.entries(filter).filter(([, value]) => value !== undefined).map(([key]) => key);
  if (used.length === 1 && filter.tag !== undefined) {
    params.push(filter.tag);
    return 'SELECT count(*)::int AS count FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = $1';
  }
  if (used.length === 1 && filter.favoritedBy !== undefined) {
    params.push(filter.favoritedBy);
    return 'SELECT count(*)::int AS count FROM favorites f WHERE f.user_id = (SELECT id FROM users WHERE lower(username) = lower($1))';
  }
  return `SELECT count(*)::int AS count FROM articles a ${whereClause(filter, params)}`;
}

/** The WHERE clause of a filter, appending its values to `params`. */
function whereClause(filter: ArticleFilter, params: unknown[]): string {
  const conditions: string[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (filter.tag !== undefined) {
    conditions.push(`a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = ${param(filter.tag)})`);
  }
  if (filter.author !== undefined) {
    conditions.push(`a.author_id = (SELECT id FROM users WHERE lower(username) = lower(${param(filter.author)}))`);
  }
  if (filter.favoritedBy !== undefined) {
    conditions.push(
      `a.id IN (SELECT f.article_id FROM favorites f WHERE f.user_id = (SELECT id FROM users WHERE lower(username) = lower(${param(filter.favoritedBy)})))`,
    );
  }
  if (filter.followedBy !== undefined) {
    conditions.push(`a.author_id IN (SELECT fo.followee_id FROM follows fo WHERE fo.follower_id = ${param(filter.followedBy)})`);
  }
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

function toArticleView(row: ArticleRow): ArticleView {
  return {
    id: row.id,
    authorId: row.author_id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    ...(row.body !== undefined ? { body: row.body } : {}),
    tagList: row.tag_list,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    favorited: row.favorited,
    favoritesCount: row.favorites_count,
    author: { username: row.author_username, bio: row.author_bio, image: row.author_image, following: row.following },
  };
}
