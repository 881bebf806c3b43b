import { Injectable } from '@nestjs/common';
import { Sql, statement, Tx } from '@app/database';

/** Tags in use, most used first (ties by name). */
const POPULAR = statement(`
  SELECT t.name
    FROM article_tags at
    JOIN tags t ON t.id = at.tag_id
   GROUP BY t.id, t.name
   ORDER BY count(*) DESC, t.name
   LIMIT $1`);
const INSERT_MISSING = statement('INSERT INTO tags (name) SELECT unnest($1::varchar[]) ON CONFLICT (name) DO NOTHING');
const IDS = statement('SELECT id FROM tags WHERE name = ANY($1::varchar[])');

@Injectable()
export class TagsRepository {
  constructor(private readonly sql: Sql) {}

  async findPopular(limit: number): Promise<string[]> {
    return (await this.sql.rows<{ name: string }>(POPULAR, [limit])).map((row) => row.name);
  }

  /**
   * Ids of the named tags, creating the missing ones. Names are sorted so that
   * concurrent transactions take row locks in the same order (no deadlock);
   * the select is a separate statement so it sees tags a racing transaction
   * committed while this insert waited on it.
   */
  async ensureIds(tx: Tx, names: readonly string[]): Promise<number[]> {
    if (names.length === 0) return [];
    const sorted = [...names].sort();
    await this.sql.execute(INSERT_MISSING, [sorted], tx);
    return (await this.sql.rows<{ id: number }>(IDS, [sorted], tx)).map((row) => row.id);
  }
}
