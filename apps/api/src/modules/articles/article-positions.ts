/** Positions in article lists, for cursor pages: shared by the list queries and the search's. */

/**
 * Where a cursor page starts (after this article, in the list's order): its date in epoch
 * microseconds (exact, as text: a JS date keeps milliseconds) and id, and for a search whether it
 * was a title match (the first tier).
 */
export interface ArticlePosition {
  readonly micros: string;
  readonly id: number;
  readonly titleMatch?: boolean;
}

/** Each page row's position, for rows `r` with the page columns (see ArticlePosition). */
export const positionColumns = (r: string) => `(extract(epoch FROM ${r}.created_at) * 1000000)::bigint::text AS micros`;

/** "Comes after the position" for rows whose date and id are `date`, `id`; appends the values to `params`. */
export function afterCondition(date: string, id: string, after: ArticlePosition, params: unknown[]): string {
  const micros = `$${params.push(after.micros)}`;
  return `(${date}, ${id}) < (timestamptz 'epoch' + ${micros}::bigint * interval '1 microsecond', $${params.push(after.id)}::int)`;
}
