import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text search of articles (`GET /api/articles?q=`, docs/api.md).
 *
 * `article_search` holds each article's search document (title weight A, tag names B,
 * description C, body D) in the text search configuration `conduit_search`, with a GIN index
 * that finds the matches; beside it the title's own small vector (to rank title matches first
 * without reading the large, TOASTed document of every match) and the article's date (to order
 * the matches without visiting `articles`). A table of its own, not columns of `articles`: the
 * hot rows stay small, and the counters' updates (favorites_count on every favorite) never
 * rewrite a document's hundred index entries.
 *
 * The document is written by whoever writes the article (the repository on create and edit, the
 * seeder), through `article_search_document`, so there is one definition of it and no trigger
 * rewrites a row that was just inserted. `conduit_search` starts as a copy of English; the migrate
 * command switches it to SEARCH_LANGUAGE and rebuilds the documents (libs/database search-language.ts).
 */
export class ArticleSearch1764090000000 implements MigrationInterface {
  name = 'ArticleSearch1764090000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TEXT SEARCH CONFIGURATION conduit_search (COPY = pg_catalog.english)`);
    await db.query(`COMMENT ON TEXT SEARCH CONFIGURATION conduit_search IS 'english'`);
    await db.query(`
      CREATE FUNCTION article_search_document(title text, description text, body text, tags text[]) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN setweight(to_tsvector('conduit_search', title), 'A')
            || setweight(to_tsvector('conduit_search', array_to_string(tags, ' ')), 'B')
            || setweight(to_tsvector('conduit_search', description), 'C')
            || setweight(to_tsvector('conduit_search', body), 'D')`);
    await db.query(`
      CREATE FUNCTION article_search_title(title text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN to_tsvector('conduit_search', title)`);
    await db.query(`
      CREATE FUNCTION article_tag_names(article integer) RETURNS text[]
        LANGUAGE sql STABLE PARALLEL SAFE
        RETURN ARRAY(SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = article ORDER BY t.name)`);
    await db.query(`
      CREATE TABLE article_search (
        article_id integer PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        title      tsvector NOT NULL,
        document   tsvector NOT NULL
      )`);
    await db.query(`
      INSERT INTO article_search (article_id, created_at, title, document)
      SELECT a.id, a.created_at, article_search_title(a.title), article_search_document(a.title, a.description, a.body, article_tag_names(a.id))
        FROM articles a`);
    // The words (rare ones: every match at once), the title's (the first tier, likewise), and the
    // date (common words: the newest first, until a page is full). See search-queries.ts.
    await db.query(`CREATE INDEX article_search_document_idx ON article_search USING gin (document)`);
    await db.query(`CREATE INDEX article_search_title_idx ON article_search USING gin (title)`);
    await db.query(`CREATE INDEX article_search_created_idx ON article_search (created_at DESC, article_id DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE article_search`);
    await db.query(`DROP FUNCTION article_tag_names(integer)`);
    await db.query(`DROP FUNCTION article_search_title(text)`);
    await db.query(`DROP FUNCTION article_search_document(text, text, text, text[])`);
    await db.query(`DROP TEXT SEARCH CONFIGURATION conduit_search`);
  }
}
