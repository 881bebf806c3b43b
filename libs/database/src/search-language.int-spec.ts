import { testConfig, useOwnDatabase } from '@app/testing';
import { DataSource } from 'typeorm';
import { directDataSourceOptions } from './data-source-options';
import { applySearchLanguage } from './search-language';

/**
 * SEARCH_LANGUAGE switches the search configuration in place and rebuilds the documents already
 * written, so old and new articles are found alike; on a migrated database of the suite's own
 * (the switch rewrites every article).
 */
describe('the search language (real PostgreSQL)', () => {
  const database = useOwnDatabase();
  let db: DataSource;
  const config = (language: string) => testConfig({ ...database.env(), SEARCH_LANGUAGE: language });
  const lexemes = async (text: string) =>
    (await db.query<{ lexeme: string }[]>(`SELECT unnest(tsvector_to_array(to_tsvector('conduit_search', $1))) AS lexeme ORDER BY 1`, [text])).map(
      (row) => row.lexeme,
    );
  const documentOfTheArticle = async () =>
    (await db.query<{ lexeme: string }[]>(`SELECT unnest(tsvector_to_array(document)) AS lexeme FROM article_search ORDER BY 1`)).map((row) => row.lexeme);

  beforeAll(async () => {
    db = await new DataSource(directDataSourceOptions(config('english'))).initialize();
    await db.query(`INSERT INTO users (id, username, email, password_hash) VALUES (1, 'jake', 'jake@example.com', 'x')`);
    await db.query(`INSERT INTO articles (id, slug, title, description, body, author_id) VALUES (1, 's', 'The dragons', 'Riders', 'Flying', 1)`);
    await db.query(
      `INSERT INTO article_search (article_id, created_at, title, document)
       VALUES (1, now(), article_search_title('The dragons'), article_search_document('The dragons', 'Riders', 'Flying', '{}'))`,
    );
  });
  afterAll(() => db?.destroy());

  it('is English after the migrations: stemmed, without stop words; applying English again changes nothing', async () => {
    expect(await applySearchLanguage(db, config('english'))).toBe(false);
    expect(await lexemes('The dragons')).toEqual(['dragon']);
    expect(await documentOfTheArticle()).toEqual(['dragon', 'fli', 'rider']);
  });

  it('switches to another language and rebuilds the articles written before, once', async () => {
    expect(await applySearchLanguage(db, config('simple'))).toBe(true);
    expect(await lexemes('The dragons')).toEqual(['dragons', 'the']);
    expect(await documentOfTheArticle()).toEqual(['dragons', 'flying', 'riders', 'the']);
    expect(await applySearchLanguage(db, config('simple'))).toBe(false);

    expect(await applySearchLanguage(db, config('german'))).toBe(true);
    expect(await lexemes('Die Häuser der Drachen')).toEqual(['drach', 'haus']);
    expect(await applySearchLanguage(db, config('english'))).toBe(true);
    expect(await documentOfTheArticle()).toEqual(['dragon', 'fli', 'rider']);
  });
});
