import { AppConfig } from '@app/config';
import { DataSource } from 'typeorm';

/**
 * Makes the text search configuration `conduit_search` (migration ArticleSearch) work as
 * SEARCH_LANGUAGE, and rebuilds every article's search document when that changed. Run by
 * `migrate` on every deploy; a no-op when the language is already the one recorded.
 *
 * The configuration is changed in place (its mappings replaced by the language's own) rather
 * than dropped and created again: the functions and prepared statements that name it keep its
 * identity. Every built-in language uses PostgreSQL's default parser, so the token types match.
 * The rebuild rewrites every article in one transaction: on a large table, a deploy that changes
 * the language takes a while and article writes wait for it (docs/api.md); searches keep working
 * meanwhile, in the old language.
 */
export async function applySearchLanguage(dataSource: DataSource, config: AppConfig): Promise<boolean> {
  const language = config.searchLanguage;
  // Validated against a fixed list (libs/config), and only ever passed as a bound parameter or through format().
  const [{ current }] = await dataSource.query<{ current: string | null }[]>(`SELECT obj_description('conduit_search'::regconfig, 'pg_ts_config') AS current`);
  if (current === language) return false;
  await dataSource.transaction(async (manager) => {
    await manager.query(
      `DO $$
       DECLARE
         language text := ${quoteLiteral(language)};
         token record;
       BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = language AND cfgnamespace = 'pg_catalog'::regnamespace) THEN
           RAISE EXCEPTION 'PostgreSQL has no text search configuration %', language;
         END IF;
         FOR token IN SELECT alias FROM ts_token_type('default') LOOP
           EXECUTE format('ALTER TEXT SEARCH CONFIGURATION conduit_search DROP MAPPING IF EXISTS FOR %I', token.alias);
         END LOOP;
         FOR token IN
           SELECT t.alias, string_agg(format('pg_catalog.%I', d.dictname), ', ' ORDER BY m.mapseqno) AS dictionaries
             FROM pg_ts_config_map m
             JOIN pg_ts_config c ON c.oid = m.mapcfg
             JOIN ts_token_type('default') t ON t.tokid = m.maptokentype
             JOIN pg_ts_dict d ON d.oid = m.mapdict
            WHERE c.cfgname = language AND c.cfgnamespace = 'pg_catalog'::regnamespace
            GROUP BY t.alias
         LOOP
           EXECUTE format('ALTER TEXT SEARCH CONFIGURATION conduit_search ADD MAPPING FOR %I WITH %s', token.alias, token.dictionaries);
         END LOOP;
         EXECUTE format('COMMENT ON TEXT SEARCH CONFIGURATION conduit_search IS %L', language);
       END $$`,
    );
    await manager.query(
      `UPDATE article_search s
          SET title = article_search_title(a.title), document = article_search_document(a.title, a.description, a.body, article_tag_names(a.id))
         FROM articles a WHERE a.id = s.article_id`,
    );
  });
  return true;
}

/** A SQL string literal of a word from the validated list (letters only, so nothing to escape but the quotes). */
function quoteLiteral(word: string): string {
  if (!/^[a-z]+$/.test(word)) throw new Error(`refusing search language ${word}`);
  return `'${word}'`;
}
