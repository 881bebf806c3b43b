import { Injectable } from '@nestjs/common';
import { Sql, Statement, statement, Tx, unprepared } from '@app/database';
import { isUniqueViolation } from '@app/errors';
import { outboxInsert } from '@app/queue';
import { ArticleFields, ArticleFilter, ArticleOwnership, ArticleRef, ArticleView, ViewerState } from './article';
import { ArticlePosition } from './article-positions';
import { countQuery, pageIdsQuery, pageRefsQuery, REFS_BY_ID } from './article-queries';

/** The article's tags in name order, for an article row `a`. */
const TAGS_OF_A = `ARRAY(SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id ORDER BY t.name)`;

/**
 * The columns of an article view as every viewer sees it (`favorited` and
 * `following` false), for an article row `a` joined with its author `u`:
 * author and tags from a join and a sub-select, never a query per row. The
 * one list of them, composed into every statement that reads a view.
 */
export function articleViewColumns({ body = false, tagList = TAGS_OF_A }: { body?: boolean; tagList?: string } = {}): string {
  return `a.id, a.version, a.author_id, a.slug, a.title, a.description,${body ? ' a.body,' : ''} a.created_at, a.updated_at, a.favorites_count,
          u.username AS author_username, u.bio AS author_bio, u.image AS author_image, ${tagList} AS tag_list`;
}

const VIEWS_BY_ID = statement(`SELECT ${articleViewColumns()} FROM articles a JOIN users u ON u.id = a.author_id WHERE a.id = ANY($1::int[])`);
const VIEW_BY_SLUG = statement(`SELECT ${articleViewColumns({ body: true })} FROM articles a JOIN users u ON u.id = a.author_id WHERE a.slug = $1`);
const VIEW_BY_ID_FOR = statement(`
  SELECT ${articleViewColumns({ body: true })},
         EXISTS (SELECT 1 FROM favorites f WHERE f.article_id = a.id AND f.user_id = $2) AS favorited,
         EXISTS (SELECT 1 FROM follows fo WHERE fo.follower_id = $2 AND fo.followee_id = a.author_id) AS following
    FROM articles a JOIN users u ON u.id = a.author_id WHERE a.id = $1`);
const VIEWER_STATE = statement(
  `SELECT ARRAY(SELECT article_id FROM favorites WHERE user_id = $1 AND article_id = ANY($2::int[])) AS favorited,
          ARRAY(SELECT followee_id FROM follows WHERE follower_id = $1 AND followee_id = ANY($3::int[])) AS following`,
);
const OWNERSHIP = statement('SELECT id, author_id, title FROM articles WHERE slug = $1');
// Inside a transaction: the row cannot change or vanish before the caller's writes.
const OWNERSHIP_FOR_UPDATE = statement(`${OWNERSHIP.text} FOR UPDATE`);
const SET_SLUG = statement('UPDATE articles SET slug = $2 WHERE id = $1');
// A savepoint keeps the surrounding transaction usable after a unique violation.
const SAVEPOINT = unprepared('SAVEPOINT set_slug');
const RELEASE = unprepared('RELEASE SAVEPOINT set_slug');
const ROLLBACK_TO = unprepared('ROLLBACK TO SAVEPOINT set_slug');
const UNLINK_TAGS = statement('DELETE FROM article_tags WHERE article_id = $1');
const LINK_TAGS = statement(`
  INSERT INTO article_tags (article_id, tag_id, created_at)
  SELECT a.id, unnest($2::int[]), a.created_at FROM articles a WHERE a.id = $1
  ON CONFLICT DO NOTHING`);
const DELETE = statement('DELETE FROM articles WHERE id = $1');
/** The search document from the article as it now is (migration ArticleSearch has the definition). */
const REFRESH_SEARCH = statement(`
  UPDATE article_search s
     SET title = article_search_title(a.title), document = article_search_document(a.title, a.description, a.body, article_tag_names(a.id))
    FROM articles a WHERE a.id = s.article_id AND s.article_id = $1`);
/** Creates the missing tags (committed on their own: a tag nobody uses yet is harmless) and reserves the article's id. */
const RESERVE_ARTICLE = statement(`
  WITH new_tags AS (INSERT INTO tags (name) SELECT unnest($1::varchar[]) ORDER BY 1 ON CONFLICT (name) DO NOTHING)
  SELECT nextval(pg_get_serial_sequence('articles', 'id'))::int AS id`);

/** A page row's position columns (article-positions.ts). */
interface PositionRow {
  micros: string;
  title_match?: boolean;
}

/** A reference of a list page, with where it stands in the list (for the next cursor). */
export type PagedArticleRef = ArticleRef & { readonly position: ArticlePosition };
export interface PagedArticleId {
  readonly id: number;
  readonly position: ArticlePosition;
}

function positionOf(id: number, micros: string, titleMatch: boolean | undefined): ArticlePosition {
  return titleMatch === undefined ? { micros, id } : { micros, id, titleMatch };
}

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
 * The article, its tag links, its search document and its `article.published` event in one
 * statement: atomic without a transaction, one round trip. The same text for
 * every call, so it is prepared once per connection.
 */
function insertArticleQuery(
  id: number,
  authorId: number,
  slug: string,
  fields: ArticleFields,
  tagNames: readonly string[],
): { query: Statement; params: unknown[] } {
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
    search AS (
      INSERT INTO article_search (article_id, created_at, title, document)
      SELECT article.id, article.created_at, article_search_title(article.title),
             article_search_document(article.title, article.description, article.body, ${tags}::varchar[])
        FROM article),
    event AS (${event})
    SELECT ${articleViewColumns({ body: true, tagList: `${tags}::varchar[]` })}
      FROM article a JOIN users u ON u.id = a.author_id`;
  return { query: statement(text), params };
}

@Injectable()
export class ArticlesRepository {
  constructor(private readonly sql: Sql) {}

  /** One page of the list as references with the viewer's part and positions, newest first: after `offset`, or after a position. */
  async findPageRefs(filter: ArticleFilter, viewerId: number | undefined, limit: number, offset: number, after?: ArticlePosition): Promise<PagedArticleRef[]> {
    const { query, params } = pageRefsQuery(filter, viewerId, limit, offset, after);
    const rows = await this.sql.rows<ArticleRef & PositionRow>(query, params);
    return rows.map(({ micros, title_match, ...ref }) => ({ ...ref, position: positionOf(ref.id, micros, title_match) }));
  }

  /** The ids of one page of the list with their positions, newest first. */
  async findPageIds(filter: ArticleFilter, limit: number, offset: number): Promise<PagedArticleId[]> {
    const { query, params } = pageIdsQuery(filter, limit, offset);
    const rows = await this.sql.rows<{ id: number } & PositionRow>(query, params);
    return rows.map((row) => ({ id: row.id, position: positionOf(row.id, row.micros, row.title_match) }));
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
    const row = await this.sql.one<ArticleRow>(VIEW_BY_ID_FOR, [id, viewerId], tx);
    return row && toArticleView(row);
  }

  /** Of these articles and authors, which the viewer favorited and follows: one statement. */
  async viewerState(viewerId: number, articleIds: readonly number[], authorIds: readonly number[]): Promise<ViewerState> {
    const row = (await this.sql.one<{ favorited: number[]; following: number[] }>(VIEWER_STATE, [viewerId, articleIds, authorIds]))!;
    return { favoritedArticleIds: new Set(row.favorited), followedAuthorIds: new Set(row.following) };
  }

  async findOwnership(slug: string, tx?: Tx): Promise<ArticleOwnership | undefined> {
    const row = await this.sql.one<{ id: number; author_id: number; title: string }>(tx ? OWNERSHIP_FOR_UPDATE : OWNERSHIP, [slug], tx);
    return row && { id: row.id, authorId: row.author_id, slug, title: row.title };
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
    await this.sql.execute(SAVEPOINT, [], tx);
    try {
      await this.sql.execute(SET_SLUG, [id, slug], tx);
      await this.sql.execute(RELEASE, [], tx);
      return true;
    } catch (error) {
      await this.sql.execute(ROLLBACK_TO, [], tx);
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
    // One text per set of changed fields (at most seven), each prepared once.
    const update = statement(`UPDATE articles SET ${[...assignments, 'updated_at = now()'].join(', ')} WHERE id = $1`);
    return (await this.sql.execute(update, params, tx)) > 0;
  }

  async replaceTags(tx: Tx, articleId: number, tagIds: readonly number[]): Promise<void> {
    await this.sql.execute(UNLINK_TAGS, [articleId], tx);
    if (tagIds.length > 0) await this.sql.execute(LINK_TAGS, [articleId, tagIds], tx);
  }

  /** Rewrites the article's search document after its text or tags changed, inside that change's transaction. */
  async refreshSearch(tx: Tx, id: number): Promise<void> {
    await this.sql.execute(REFRESH_SEARCH, [id], tx);
  }

  /** Deletes the article; comments, favorites and tag links go with it (ON DELETE CASCADE). */
  async delete(tx: Tx, id: number): Promise<void> {
    await this.sql.execute(DELETE, [id], tx);
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
