import { log } from '../../scripts/lib/log.mjs';

const { default: pg } = await import('pg');

/** Bump when the seeder's output changes, so older data sets are rebuilt. */
const DATASET_VERSION = 7;

export const databaseName = (size) => `conduit_bench_${size}`;

/**
 * A connection for the benchmark's own maintenance (VACUUM ANALYZE of the whole data set, bulk
 * inserts), without the request path's statement timeout that migrations give the role: on the
 * large data set a VACUUM takes longer than 5 s. Sent as startup options: node-postgres does not
 * send a `statement_timeout` of 0.
 */
const benchClient = (url) => new pg.Client({ connectionString: url, options: '-c statement_timeout=0' });

/** The users whose tokens the write scenarios use (seeded users, none of them a feed reader or a popular author). */
const WRITERS = { first: 200, last: 231 };

/**
 * Makes `conduit_bench_<size>` hold the seeded data set: reuses it when a
 * previous run completed it (marked by a comment on the database), otherwise
 * recreates, migrates and seeds it (multi-row inserts, progress bar).
 */
export async function ensureDataset({ size, serverUrl, env, databaseCli, createDatabase, dropDatabase, withAdminClient }) {
  const name = databaseName(size);
  const marker = `conduit bench data set ${size} v${DATASET_VERSION}`;
  const url = Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
  const existing = await withAdminClient(serverUrl, async (client) => {
    const { rows } = await client.query(`SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [name]);
    return rows[0];
  });
  if (existing?.comment?.startsWith(`${marker}; seeded at `)) {
    log(`reusing the ${size} data set (database ${name})`);
    await databaseCli(['migrate'], { ...env, DATABASE_URL: url });
    return url;
  }
  if (existing) await dropDatabase(serverUrl, name);
  await createDatabase(serverUrl, name);
  const started = Date.now();
  log(`seeding the ${size} data set into ${name}...`);
  await databaseCli(['migrate'], { ...env, DATABASE_URL: url });
  await databaseCli(['seed', '--size', size], { ...env, NODE_ENV: 'development', DATABASE_URL: url });
  const client = benchClient(url);
  await client.connect();
  try {
    await client.query('VACUUM ANALYZE');
    // When the seed ended: what the benchmark's writers did after it is what it removes (removeBenchmarkWrites).
    await client.query(`COMMENT ON DATABASE ${name} IS '${marker}; seeded at ${new Date().toISOString()}'`);
  } finally {
    await client.end();
  }
  log(`seeded ${size} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return url;
}

/**
 * Removes what the write scenarios added (articles, with their comments and
 * tags by cascade, and benchmark comments), so every run reads the same data.
 */
export async function removeBenchmarkWrites(url) {
  const client = benchClient(url);
  await client.connect();
  try {
    await client.query(`DELETE FROM articles WHERE description = 'Written by the benchmark'`);
    await client.query(`DELETE FROM comments WHERE body LIKE 'Benchmark comment %'`);
    // Only --revocations writes these (the scenarios never log out or change a password).
    await client.query('DELETE FROM token_revocations');
    // The writers' favorites since the seed, with the counters they moved: every run favorites afresh.
    const [{ comment }] = (await client.query(`SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = current_database()`))
      .rows;
    const seededAt = / seeded at (\S+)$/.exec(comment ?? '')?.[1];
    if (seededAt) {
      await client.query(
        `WITH removed AS (DELETE FROM favorites WHERE user_id BETWEEN $1 AND $2 AND created_at > $3 RETURNING article_id)
         UPDATE articles a SET favorites_count = a.favorites_count - r.count
           FROM (SELECT article_id, count(*)::int AS count FROM removed GROUP BY article_id) r
          WHERE a.id = r.article_id`,
        [WRITERS.first, WRITERS.last, seededAt],
      );
    }
    await client.query('VACUUM ANALYZE articles, comments, article_tags, favorites');
  } finally {
    await client.end();
  }
}

/**
 * `count` revoked tokens (logouts of random token ids by seeded users), as a busy deployment holds
 * them: every API instance reads them at start and checks each request's token against them.
 */
export async function storeRevocations(url, count) {
  const client = benchClient(url);
  await client.connect();
  try {
    await client.query(
      `INSERT INTO token_revocations (user_id, token_id, expires_at)
       SELECT 1 + (i % (SELECT count(*) FROM users)), left(md5(random()::text || i), 22), now() + interval '1 day'
         FROM generate_series(1, $1) AS i`,
      [count],
    );
  } finally {
    await client.end();
  }
  log(`stored ${count.toLocaleString('en-US')} token revocations`);
}

/** Facts the scenarios need: slugs to read and write on, two-word searches, a feed reader, a popular author. */
export async function datasetFacts(url) {
  const client = benchClient(url);
  await client.connect();
  try {
    const slugs = (await client.query('SELECT slug FROM articles TABLESAMPLE SYSTEM (5) LIMIT 2000')).rows.map((row) => row.slug);
    // Two words of a seeded title (as a reader looks for an article they saw), words of 5 letters or
    // more (the shorter sample words are mostly English stop words): common and rare ones as the texts have them.
    const searches = (await client.query(`SELECT title FROM articles TABLESAMPLE SYSTEM (5) WHERE description <> 'Written by the benchmark' LIMIT 200`)).rows
      .map((row) => [...new Set(row.title.toLowerCase().split(/\s+/))].filter((word) => word.length >= 5).slice(0, 2))
      .filter((words) => words.length === 2)
      .map((words) => words.join(' '));
    const [reader] = (await client.query('SELECT username, email FROM users WHERE id = 1')).rows;
    const writers = (await client.query('SELECT email FROM users WHERE id BETWEEN $1 AND $2 ORDER BY id', [WRITERS.first, WRITERS.last])).rows.map(
      (row) => row.email,
    );
    const [counts] = (
      await client.query(`SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM articles)::int AS articles,
                                 (SELECT count(*) FROM follows WHERE follower_id = 1)::int AS "readerFollows",
                                 (SELECT max(c) FROM (SELECT count(*) AS c FROM follows GROUP BY followee_id) f)::int AS "maxFollowers"`)
    ).rows;
    return { slugs, searches, reader, writers, counts };
  } finally {
    await client.end();
  }
}
