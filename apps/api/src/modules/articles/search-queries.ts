import { afterCondition, ArticlePosition } from './article-positions';
import { tsqueryText } from './search-terms';

/** A search's `articlesCount` counts the matches up to this many (docs/api.md#search). */
export const SEARCH_COUNT_LIMIT = 1000;

/**
 * The SQL of a search (`GET /api/articles?q=`), alone or with other filters: article-queries.ts
 * composes it into its page and count statements.
 *
 * Each search is planned for its own words: the query is a literal of the statement, not a
 * parameter, and the statement is never prepared. How common the words are decides the plan.
 * For common words (a large share of the articles match) PostgreSQL walks the newest articles
 * and stops at the page's last match; for rare ones it asks the GIN index for every match and
 * sorts those few. One generic plan would be wrong for one kind or the other by a hundredfold.
 *
 * The rank (title matches first, then newest) is two tiers, each in date order, so that each can
 * be read in index order: every word in the title (`article_search.title`), then the rest.
 */

/**
 * The tsquery of `words` as SQL. Built into the text, which is safe because `searchWords` gives
 * runs of letters and digits only; checked again here, so no other text can ever get in.
 */
function tsqueryLiteral(words: readonly string[]): string {
  if (!words.every((word) => /^[\p{L}\p{N}]+$/u.test(word))) throw new Error('search words must be letters and digits');
  return `to_tsquery('conduit_search', '${tsqueryText(words).replaceAll("'", "''")}')`;
}

/** What the search reads: `article_search s` alone, or joined with `articles a` for other conditions. */
function searchedRows(conditions: readonly string[]) {
  return conditions.length === 0
    ? { from: 'article_search s', id: 's.article_id', date: 's.created_at' }
    : { from: 'articles a JOIN article_search s ON s.article_id = a.id', id: 'a.id', date: 'a.created_at' };
}

/**
 * One page of a search, as article-queries' pages are (`id, version, author_id, created_at`, and
 * `title_match`). `conditions` are the other filters' (on `a`); $1 and $2 are the limit and offset,
 * whose values each tier needs as literals too (a tier reads at most limit + offset rows).
 * After a position (a cursor), a page goes on in the position's tier and then the next one: after
 * a title match, the rest of the title matches and all the others; after another match, only the
 * rest of those (its values are appended to `params`).
 */
export function searchPageSql(
  words: readonly string[],
  conditions: readonly string[],
  limit: number,
  offset: number,
  after?: ArticlePosition,
  params: unknown[] = [],
): string {
  const query = tsqueryLiteral(words);
  const { from, id, date } = searchedRows(conditions);
  const enough = Math.trunc(limit) + Math.trunc(offset);
  const tier = (titleMatch: boolean) => {
    const match = titleMatch ? `s.title @@ ${query}` : `s.document @@ ${query} AND NOT s.title @@ ${query}`;
    const where = [...conditions, match];
    if (after !== undefined && after.titleMatch === titleMatch) where.push(afterCondition(date, id, after, params));
    if (after !== undefined && titleMatch && !after.titleMatch) where.push('false'); // every title match came before
    return `(SELECT ${id} AS id, ${titleMatch} AS title_match, ${date} AS created_at FROM ${from}
              WHERE ${where.join(' AND ')} ORDER BY ${date} DESC, ${id} DESC LIMIT ${enough})`;
  };
  return `SELECT a.id, a.version, a.author_id, a.created_at, page.title_match
            FROM (${tier(true)} UNION ALL ${tier(false)}
                  ORDER BY title_match DESC, created_at DESC, id DESC LIMIT $1 OFFSET $2) page
            JOIN articles a ON a.id = page.id`;
}

/** How many articles the search matches, counted up to SEARCH_COUNT_LIMIT (an exact count of a common word reads them all). */
export function searchCountSql(words: readonly string[], conditions: readonly string[]): string {
  const { from } = searchedRows(conditions);
  const where = [...conditions, `s.document @@ ${tsqueryLiteral(words)}`].join(' AND ');
  return `SELECT count(*)::int AS count FROM (SELECT 1 FROM ${from} WHERE ${where} LIMIT ${SEARCH_COUNT_LIMIT}) matches`;
}
