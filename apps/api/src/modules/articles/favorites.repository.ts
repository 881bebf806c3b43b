import { Injectable } from '@nestjs/common';
import { rowsOf, Tx } from '@app/database';

@Injectable()
export class FavoritesRepository {
  /** True when the favorite was new; a repeat (or a racing duplicate) inserts nothing. */
  async add(tx: Tx, userId: number, articleId: number): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      'INSERT INTO favorites (user_id, article_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1',
      [userId, articleId],
    );
    return rows.length > 0;
  }

  /** True when a favorite was removed. */
  async remove(tx: Tx, userId: number, articleId: number): Promise<boolean> {
    const result: unknown[] = await tx.query('DELETE FROM favorites WHERE user_id = $1 AND article_id = $2 RETURNING 1', [userId, articleId]);
    return rowsOf(result).length > 0;
  }
}
