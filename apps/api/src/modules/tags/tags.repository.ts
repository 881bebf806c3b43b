import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Tx } from '@app/database';
import { DataSource } from 'typeorm';

@Injectable()
export class TagsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Tags in use, most used first (ties by name). */
  async findPopular(limit: number): Promise<string[]> {
    const rows: { name: string }[] = await this.db.query(
      `SELECT t.name
         FROM article_tags at
         JOIN tags t ON t.id = at.tag_id
        GROUP BY t.id, t.name
        ORDER BY count(*) DESC, t.name
        LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.name);
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
    await tx.query(`INSERT INTO tags (name) SELECT unnest($1::varchar[]) ON CONFLICT (name) DO NOTHING`, [sorted]);
    const rows: { id: number }[] = await tx.query(`SELECT id FROM tags WHERE name = ANY($1::varchar[])`, [sorted]);
    return rows.map((row) => row.id);
  }
}
