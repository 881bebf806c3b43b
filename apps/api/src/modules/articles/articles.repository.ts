import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { rowsOf, Sql, Statement, statement, Tx } from '@app/database';
import { isUniqueViolation } from '@app/errors';
import { outboxInsert } from '@app/queue';
import { DataSource } from 'typeorm';
import { ArticleFields, ArticleFilter, ArticleOwnership, ArticleRef, ArticleView, ViewerState } from './article';
import { countQuery, pageIdsQuery, pageRefsQuery, REFS_BY_ID } from './article-queries';

/**
 * The columns of an article view as every viewer sees it (`favorited` and
 * `following` false): author and tags from a join and a sub-select, never a
 * query per row.
 */
const SHARED_VIEW_COLUMNS = `
  a.id, a.version, a.author_id, a.slug, a.title, a.description, a.created_at, a.updated_at, a.favorites_count,
  u.username AS author_username, u.bio AS author_bio, u.image AS author_image,
  ARRAY(SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
         WHERE at.article_id = a.id ORDER BY t.name) AS tag_list`;

const VIEWS_BY_ID = statement(`SELECT ${SHARED_VIEW_COLUMNS} FROM articles a JOIN users u ON u.id = a.author_id WHERE a.id = ANY($1::int[])`);
const VIEW_BY_SLUG = statement(`SELECT ${SHARED_VIEW_COLUMNS}, a.body FROM articles a JOIN users u ON u.id = a.author_id WHERE a.slug = $1`);
const VIEW_BY_ID_FOR = `
  SELECT ${SHARED_VIEW_COLUMNS}, a.body,
         EXISTS (SELECT 1 FROM favorites f WHERE f.article_id = a.id AND f.user_id = $2) AS favorited,
         EXISTS (SELECT 1 FROM follows fo WHERE fo.follower_id = $2 AND fo.followee_id = a.author_id) AS following
    FROM articles a JOIN users u ON u.id = a.author_id WHERE a.id = $1`;
const VIEWER_STATE = statement(
  `SELECT ARRAY(SELECT article_id FROM favorites WHERE user_id = $1 AND article_id = ANY($2::int[])) AS favorited,
          ARRAY(SELECT followee_id FROM follows WHERE follower_id = $1 AND followee_id = ANY($3::int[])) AS following`,
);
const OWNERSHIP = statement('SELECT id, author_id, title FROM articles WHERE slug = $1');
/** Creates the missing tags (committed on their own: a tag nobody uses yet is harmless) and reserves the article's id. */
const RESERVE_ARTICLE = statement(`
  WITH new_tags AS (INSERT INTO tags (name) SELECT unnest($1::varchar[]) ORDER BY 1 ON CONFLICT (name) DO NOTHING)
  SELECT nextval(pg_get_serial_sequence('articles', 'id'))::int AS id`);

interface ArticleRow {
  id: number;
  version: number;
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
  /** Present when the row was read for a viewer. */
  favorited?: boolean;
  following?: boolean;
}

/**
 * The article, its tag links and its `article.published` event in one
 * statement: atomic without a transaction, one round trip. The same text for
 * every call, so it is prepared once per connection.
 */
function insertArticleQuery(id: number, authorId: number, slug: string, fields: ArticleFields, tagNames: readonly string[]): { query: Statement; params: unknown[] } {
  const params: unknown[] = [];
  const value = (v: unknown) => `$${params.push(v)}`;
  const columns = [value(id), value(slug), value(fields.title), value(fields.description), value(fields.body), value(authorId)];
  const tags = value(tagNames);
  const event = outboxInsert(params, { type: 'article.published', payload: { articleId: id, authorId } }, 'article');
  const text = `
    WITH article AS (
      INSERT INTO articles (id, slug, title, description, body, author_id) VALUES (${columns.join(', ')})
      ON CONFLICT (slug) DO NOTHING
      RETURNING *),
    links AS (
      INSERT INTO article_tags (article_id, tag_id, created_at)
      SELECT article.id, t.id, article.created_at FROM article, tags t WHERE t.name = ANY(${tags}::varchar[])),
    event AS (${event})
    SELECT a.id, a.version, a.author_id, a.slug, a.title, a.description, a.body, a.created_at, a.updated_at, a.favorites_count,
           u.username AS author_username, u.bio AS author_bio, u.image AS author_image, ${tags}::varchar[] AS tag_list
      FROM article a JOIN users u ON u.id = a.author_id`;
  return { query: statement(text), params };
}

@Injectable()
export class ArticlesRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sql: Sql,
  ) {}

  /** One page of the list as references with the viewer's part, newest first. */
  async findPageRefs(filter: ArticleFilter, viewerId: number | undefined, limit: number, offset: number): Promise<ArticleRef[]> {
    const { query, params } = pageRefsQuery(filter, viewerId, limit, offset);
    return this.sql.rows<ArticleRef>(query, params);
  }

  /** The ids of one page of the list, newest first. */
  async findPageIds(filter: ArticleFilter, limit: number, offset: number): Promise<number[]> {
    const { query, params } = pageIdsQuery(filter, limit, offset);
    return (await this.sql.rows<{ id: number }>(query, params)).map((row) => row.id);
  }

  /** References of these articles, in the given order; ids of deleted articles are left out. */
  async findRefs(ids: readonly number[], viewerId: number | undefined): Promise<ArticleRef[]> {
    if (ids.length === 0) return [];
    const byId = new Map((await this.sql.rows<ArticleRef>(REFS_BY_ID, [ids, viewerId ?? null])).map((ref) => [ref.id, ref]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** How many articles match the filter in all (the list's `articlesCount`). */
  async count(filter: ArticleFilter): Promise<number> {
    const { query, params } = countQuery(filter);
    return (await this.sql.one<{ count: number }>(query, params))!.count;
  }

  /** Articles as every viewer sees them (no body: list items), by id; missing ids are left out. */
  async findViews(ids: readonly number[]): Promise<ArticleView[]> {
    return (await this.sql.rows<ArticleRow>(VIEWS_BY_ID, [ids])).map(toArticleView);
  }

  findBySlug(slug: string): Promise<ArticleView | undefined> {
    return this.sql.one<ArticleRow>(VIEW_BY_SLUG, [slug]).then((row) => row && toArticleView(row));
  }

  /** Inside a write's transaction, as that transaction sees it, for one viewer. */
  async findById(tx: Tx, id: number, viewerId: number): Promise<ArticleView | undefined> {
    const rows: ArticleRow[] = await tx.query(VIEW_BY_ID_FOR, [id, viewerId]);
    return rows.length > 0 ? toArticleView(rows[0]) : undefined;
  }

  /** Of these articles and authors, which the viewer favorited and follows: one statement. */
  async viewerState(viewerId: number, articleIds: readonly number[], authorIds: readonly number[]): Promise<ViewerState> {
    const row = (await this.sql.one<{ favorited: number[]; following: number[] }>(VIEWER_STATE, [viewerId, articleIds, authorIds]))!;
    return { favoritedArticleIds: new Set(row.favorited), followedAuthorIds: new Set(row.following) };
  }

  async findOwnership(slug: string, tx?: Tx): Promise<ArticleOwnership | undefined> {
    // FOR UPDATE inside a transaction: the row cannot change or vanish before the caller's writes.
    const rows: { id: number; author_id: number; title: string }[] = tx
      ? await tx.query(`${OWNERSHIP.text} FOR UPDATE`, [slug])
      : await this.sql.rows(OWNERSHIP, [slug]);
    return rows.length > 0 ? { id: rows[0].id, authorId: rows[0].author_id, slug, title: rows[0].title } : undefined;
  }

  /** Creates the missing tags and reserves an id for a new article. */
  async reserve(tagNames: readonly string[]): Promise<number> {
    return (await this.sql.one<{ id: number }>(RESERVE_ARTICLE, [tagNames]))!.id;
  }

  /**
   * Inserts the article with its tags (created by `reserve`) and its
   * `article.published` event, all or nothing; undefined (changing nothing)
   * when the slug is taken.
   */
  async tryInsert(id: number, authorId: number, slug: string, fields: ArticleFields, tagNames: readonly string[]): Promise<ArticleView | undefined> {
    const { query, params } = insertArticleQuery(id, authorId, slug, fields, tagNames);
    const row = await this.sql.one<ArticleRow>(query, params);
    return row && toArticleView(row);
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
      `INSERT INTO article_tags (article_id, tag_id, created_at)
       SELECT a.id, unnest($2::int[]), a.created_at FROM articles a WHERE a.id = $1
       ON CONFLICT DO NOTHING`,
      [articleId, tagIds],
    );
  }

  /** Deletes the article; comments, favorites and tag links go with it (ON DELETE CASCADE). */
  async delete(tx: Tx, id: number): Promise<void> {
    await tx.query('DELETE FROM articles WHERE id = $1', [id]);
  }
}

export function toArticleView(row: ArticleRow): ArticleView {
  return {
    id: row.id,
    version: row.version,
    authorId: row.author_id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    ...(row.body !== undefined ? { body: row.body } : {}),
    tagList: row.tag_list,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    favorited: row.favorited ?? false,
    favoritesCount: row.favorites_count,
    author: { username: row.author_username, bio: row.author_bio, image: row.author_image, following: row.following ?? false },
  };
}

export type { ArticleRow };
