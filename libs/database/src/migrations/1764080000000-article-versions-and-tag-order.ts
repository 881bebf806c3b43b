import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `articles.version` grows with every change of an article row (a trigger, so
 * no writer can forget it): cached article views are keyed by it, and a change
 * to one article invalidates that article only.
 *
 * `article_tags.created_at` is the article's (it never changes), so a tag's
 * articles come newest first straight from an index, however many there are.
 */
export class ArticleVersionsAndTagOrder1764080000000 implements MigrationInterface {
  name = 'ArticleVersionsAndTagOrder1764080000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE articles ADD COLUMN version integer NOT NULL DEFAULT 1`);
    await db.query(`
      CREATE FUNCTION articles_next_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.version := OLD.version + 1;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER articles_version BEFORE UPDATE ON articles FOR EACH ROW EXECUTE FUNCTION articles_next_version()`);

    await db.query(`ALTER TABLE article_tags ADD COLUMN created_at timestamptz`);
    await db.query(`UPDATE article_tags at SET created_at = a.created_at FROM articles a WHERE a.id = at.article_id`);
    await db.query(`ALTER TABLE article_tags ALTER COLUMN created_at SET NOT NULL`);
    await db.query(`CREATE INDEX article_tags_tag_created_idx ON article_tags (tag_id, created_at DESC, article_id DESC)`);
    await db.query(`DROP INDEX article_tags_tag_idx`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX article_tags_tag_idx ON article_tags (tag_id, article_id)`);
    await db.query(`DROP INDEX article_tags_tag_created_idx`);
    await db.query(`ALTER TABLE article_tags DROP COLUMN created_at`);
    await db.query(`DROP TRIGGER articles_version ON articles`);
    await db.query(`DROP FUNCTION articles_next_version()`);
    await db.query(`ALTER TABLE articles DROP COLUMN version`);
  }
}
