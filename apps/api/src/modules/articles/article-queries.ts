import { statement, Statement, unprepared } from '@app/database';
import { ArticleFilter } from './article';
import { afterCondition, ArticlePosition, positionColumns } from './article-positions';
import { searchPageSql, searchCountSql } from './search-queries';

/**
 * The SQL of the article lists, by the shape of the filter. Each shape has a
 * plan that reads only the page (plus the offset), whatever the size of the
 * tables, and is right for every parameter value (they are prepared and run
 * on a generic plan, see @app/database):
 *
 * - no filter: `articles (created_at DESC, id DESC)`;
 * - a tag: `article_tags (tag_id, created_at DESC, article_id DESC)`;
 * - an author: `articles (author_id, created_at DESC, id DESC)`;
 * - the feed: the newest (offset + limit) of each followed author from that
 *   index (index-only), merged;
 * - favorited by: the user's favorites (bounded by what one user favorites);
 * - several filters: the filters' conditions together;
 * - a search (with or without other filters): search-queries.ts.
 */

type Shape = 'all' | 'tag' | 'author' | 'favorited' | 'feed' | 'combined';

function shapeOf(filter: ArticleFilter): Shape {
  const used = (['tag', 'author', 'favoritedBy', 'followedBy'] as const).filter((key) => filter[key] !== undefined);
  if (used.length === 0) return 'all';
  if (used.length > 1) return 'combined';
  return ({ tag: 'tag', author: 'author', favoritedBy: 'favorited', followedBy: 'feed' } as const)[used[0]];
}

/** How a page is ordered, for rows `r` that have the page columns: a search ranks title matches first. */
function pageOrder(filter: ArticleFilter, r: string): string {
  return `${filter.search !== undefined ? `${r}.title_match DESC, ` : ''}${r}.created_at DESC, ${r}.id DESC`;
}

/**
 * A statement for a text: prepared, unless it embeds a search's words (each search is planned
 * for its own words, and its text is never kept).
 */
const statementFor = (filter: ArticleFilter, text: string) => (filter.search !== undefined ? unprepared(text) : statement(text));

const USER_BY_NAME = (param: string) => `(SELECT id FROM users WHERE lower(username) = lower(${param}))`;

/**
 * One page, newest first (ties broken by id, so paging is stable), as
 * `id, version, author_id, created_at` (and `title_match` for a search).
 * Parameters: $1 limit, $2 offset, then the filter's values (appended to `params`).
 */
function pageSql(filter: ArticleFilter, params: unknown[], after: ArticlePosition | undefined): string {
  if (filter.search !== undefined) {
    return searchPageSql(filter.search, filterConditions(filter, params), params[0] as number, params[1] as number, after, params);
  }
  const param = (value: unknown) => `$${params.push(value)}`;
  const ordered = 'ORDER BY a.created_at DESC, a.id DESC LIMIT $1 OFFSET $2';
  /** The conditions with "after the position" on `date` and `id`, as a WHERE clause (or nothing). */
  const where = (conditions: string[], date = 'a.created_at', id = 'a.id') => {
    const all = after === undefined ? conditions : [...conditions, afterCondition(date, id, after, params)];
    return all.length > 0 ? `WHERE ${all.join(' AND ')}` : '';
  };
  switch (shapeOf(filter)) {
    case 'all':
      return `SELECT a.id, a.version, a.author_id, a.created_at FROM articles a ${where([])} ${ordered}`;
    case 'tag':
      return `SELECT a.id, a.version, a.author_id, a.created_at
                FROM article_tags at JOIN articles a ON a.id = at.article_id
               ${where([`at.tag_id = (SELECT id FROM tags WHERE name = ${param(filter.tag)})`], 'at.created_at', 'at.article_id')}
               ORDER BY at.created_at DESC, at.article_id DESC LIMIT $1 OFFSET $2`;
    case 'author':
      return `SELECT a.id, a.version, a.author_id, a.created_at FROM articles a ${where([`a.author_id = ${USER_BY_NAME(param(filter.author))}`])} ${ordered}`;
    case 'favorited':
      return `SELECT a.id, a.version, a.author_id, a.created_at
                FROM favorites f JOIN articles a ON a.id = f.article_id
               ${where([`f.user_id = ${USER_BY_NAME(param(filter.favoritedBy))}`])} ${ordered}`;
    case 'feed': {
      // Index-only per author (id and date are in the index); only the page's rows are read from the table.
      const follower = param(filter.followedBy);
      return `SELECT a.id, a.version, a.author_id, a.created_at
                FROM (SELECT l.id FROM follows fo
                       CROSS JOIN LATERAL (
                         SELECT id, created_at FROM articles
                          ${where(['author_id = fo.followee_id'], 'created_at', 'id')} ORDER BY created_at DESC, id DESC LIMIT $1::int + $2::int) l
                       WHERE fo.follower_id = ${follower}
                       ORDER BY l.created_at DESC, l.id DESC LIMIT $1 OFFSET $2) page
                JOIN articles a ON a.id = page.id`;
    }
    case 'combined':
      return `SELECT a.id, a.version, a.author_id, a.created_at FROM articles a ${where(filterConditions(filter, params))} ${ordered}`;
  }
}

/** The ids of one page, newest first, with their positions. */
export function pageIdsQuery(filter: ArticleFilter, limit: number, offset: number): { query: Statement; params: unknown[] } {
  const params: unknown[] = [limit, offset];
  const query = statementFor(
    filter,
    `SELECT p.id, ${pagePositionColumns(filter)} FROM (${pageSql(filter, params, undefined)}) p ORDER BY ${pageOrder(filter, 'p')}`,
  );
  return { query, params };
}

/** The position columns of page rows `p`: `micros`, and `title_match` for a search. */
const pagePositionColumns = (filter: ArticleFilter) => `${positionColumns('p')}${filter.search !== undefined ? ', p.title_match' : ''}`;

/** The viewer's part of an article, for `$N` the viewer (NULL when anonymous). */
const viewerColumns = (viewer: string) => `
  (${viewer}::int IS NOT NULL AND EXISTS (SELECT 1 FROM favorites f WHERE f.user_id = ${viewer}::int AND f.article_id = p.id)) AS favorited,
  (${viewer}::int IS NOT NULL AND EXISTS (SELECT 1 FROM follows fo WHERE fo.follower_id = ${viewer}::int AND fo.followee_id = p.author_id)) AS following`;

/**
 * One page as references (id, version) with the viewer's `favorited` and `following`, and their
 * positions, newest first: `limit` after `offset`, or after a position.
 */
export function pageRefsQuery(
  filter: ArticleFilter,
  viewerId: number | undefined,
  limit: number,
  offset: number,
  after?: ArticlePosition,
): { query: Statement; params: unknown[] } {
  const params: unknown[] = [limit, offset];
  const page = pageSql(filter, params, after);
  const viewer = `$${params.push(viewerId ?? null)}`;
  const query = statementFor(
    filter,
    `SELECT p.id, p.version, ${pagePositionColumns(filter)}, ${viewerColumns(viewer)} FROM (${page}) p ORDER BY ${pageOrder(filter, 'p')}`,
  );
  return { query, params };
}

/** References of known articles (in no particular order): their current versions and the viewer's part. */
export const REFS_BY_ID = statement(`SELECT p.id, p.version, ${viewerColumns('$2')} FROM articles p WHERE p.id = ANY($1::int[])`);

/** How many articles match: index-only counts of the link table for a lone tag or favorited filter. */
export function countQuery(filter: ArticleFilter): { query: Statement; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (filter.search !== undefined) return { query: unprepared(searchCountSql(filter.search, filterConditions(filter, params))), params };
  let text: string;
  switch (shapeOf(filter)) {
    case 'tag':
      text = `SELECT count(*)::int AS count FROM article_tags at WHERE at.tag_id = (SELECT id FROM tags WHERE name = ${param(filter.tag)})`;
      break;
    case 'favorited':
      text = `SELECT count(*)::int AS count FROM favorites f WHERE f.user_id = ${USER_BY_NAME(param(filter.favoritedBy))}`;
      break;
    case 'feed':
      text = `SELECT count(*)::int AS count FROM follows fo JOIN articles a ON a.author_id = fo.followee_id WHERE fo.follower_id = ${param(filter.followedBy)}`;
      break;
    default:
      text = `SELECT count(*)::int AS count FROM articles a ${whereClause(filter, params)}`;
  }
  return { query: statement(text), params };
}

/** The WHERE clause of a filter, appending its values to `params`. */
function whereClause(filter: ArticleFilter, params: unknown[]): string {
  const conditions = filterConditions(filter, params);
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

/** The conditions on articles `a` of a filter but its search, appending their values to `params`. */
function filterConditions(filter: ArticleFilter, params: unknown[]): string[] {
  const conditions: string[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (filter.tag !== undefined) {
    conditions.push(`a.id IN (SELECT at.article_id FROM article_tags at WHERE at.tag_id = (SELECT id FROM tags WHERE name = ${param(filter.tag)}))`);
  }
  if (filter.author !== undefined) conditions.push(`a.author_id = ${USER_BY_NAME(param(filter.author))}`);
  if (filter.favoritedBy !== undefined) {
    conditions.push(`a.id IN (SELECT f.article_id FROM favorites f WHERE f.user_id = ${USER_BY_NAME(param(filter.favoritedBy))})`);
  }
  if (filter.followedBy !== undefined) {
    conditions.push(`a.author_id IN (SELECT fo.followee_id FROM follows fo WHERE fo.follower_id = ${param(filter.followedBy)})`);
  }
  return conditions;
}
