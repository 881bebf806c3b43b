/**
 * The rows of a raw `query()` result. TypeORM returns `[rows, affectedCount]`
 * for UPDATE and DELETE on PostgreSQL, and plain rows for SELECT and INSERT.
 */
export function rowsOf<T = unknown>(result: unknown[]): T[] {
  return (Array.isArray(result[0]) ? result[0] : result) as T[];
}
