import { DataSource } from 'typeorm';
import { slugify } from '../../modules/articles/slug';
import { ProgressBar } from './progress-bar';
import { FIRST_NAMES, SampleData, TAGS } from './sample-data';

export interface SeedSize {
  readonly users: number;
  readonly articles: number;
  readonly followsPerUser: number;
  readonly favoritesPerUser: number;
  readonly commentsPerArticle: number;
  readonly tagsPerArticle: number;
  /** Users 1..N follow `feedFollows` authors each (the benchmark's feed readers). */
  readonly feedUsers: number;
  readonly feedFollows: number;
  /** Users 1..N are popular authors, each followed by this share of all users. */
  readonly popularAuthors: number;
  readonly popularFollowerShare: number;
}

export const DEFAULT_SEED_SIZE: SeedSize = {
  users: 100,
  articles: 1000,
  followsPerUser: 10,
  favoritesPerUser: 20,
  commentsPerArticle: 2,
  tagsPerArticle: 3,
  feedUsers: 0,
  feedFollows: 0,
  popularAuthors: 0,
  popularFollowerShare: 0,
};

/** The benchmark's data sets (bench/): sizes from docs/benchmarks.md. */
export const SEED_PRESETS: Record<'small' | 'medium' | 'large', SeedSize> = {
  small: { ...DEFAULT_SEED_SIZE, users: 1_000, articles: 10_000, feedUsers: 100, feedFollows: 50, popularAuthors: 3, popularFollowerShare: 0.5 },
  medium: { ...DEFAULT_SEED_SIZE, users: 10_000, articles: 100_000, feedUsers: 100, feedFollows: 50, popularAuthors: 3, popularFollowerShare: 0.5 },
  large: {
    ...DEFAULT_SEED_SIZE,
    users: 100_000,
    articles: 1_000_000,
    commentsPerArticle: 1,
    feedUsers: 100,
    feedFollows: 50,
    popularAuthors: 3,
    popularFollowerShare: 0.2, // 20,000 followers each
  },
};

/** Password of every seeded user; printed at the end, never used outside development. */
export const SEED_PASSWORD = 'password123';
const BATCH = 5000;
const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Fills an empty database with a realistic, deterministic data set using
 * multi-row inserts (one statement per batch of thousands of rows).
 */
export class Seeder {
  private readonly random = new SampleData(20261125);

  constructor(
    private readonly db: DataSource,
    private readonly passwordHash: string,
  ) {}

  async isEmpty(): Promise<boolean> {
    const rows: { any: boolean }[] = await this.db.query('SELECT EXISTS (SELECT 1 FROM users) AS any');
    return !rows[0].any;
  }

  async seed(size: SeedSize): Promise<void> {
    const now = Date.now();
    await this.insertBatches('users', size.users, (from, to) => {
      const ids = range(from, to);
      const names = ids.map((id) => `${FIRST_NAMES[id % FIRST_NAMES.length]}${id}`);
      return this.db.query(
        `INSERT INTO users (id, username, email, password_hash, bio, image, created_at, updated_at)
         SELECT id, username, username || '@example.com', $3, bio, NULL, $4, $4
           FROM unnest($1::int[], $2::varchar[], $5::text[]) AS t(id, username, bio)`,
        [ids, names, this.passwordHash, new Date(now - ONE_YEAR_MS), ids.map(() => this.random.sentence(4, 10))],
      );
    });

    await this.db.query(`INSERT INTO tags (name) SELECT unnest($1::varchar[]) ON CONFLICT DO NOTHING`, [[...TAGS]]);
    const tagIds = (await this.db.query<{ id: number }[]>('SELECT id FROM tags ORDER BY id')).map((row) => row.id);

    await this.insertBatches('articles', size.articles, async (from, to) => {
      const ids = range(from, to);
      const titles = ids.map(() => this.random.sentence(3, 8).slice(0, -1));
      // Spread over the last year, oldest first, so ids and dates agree.
      const created = ids.map((id) => new Date(now - ONE_YEAR_MS + Math.floor((id / (size.articles + 1)) * ONE_YEAR_MS)));
      await this.db.query(
        `INSERT INTO articles (id, slug, title, description, body, author_id, created_at, updated_at)
         SELECT id, slug, title, description, body, author_id, created_at, created_at
           FROM unnest($1::int[], $2::varchar[], $3::varchar[], $4::varchar[], $5::text[], $6::int[], $7::timestamptz[])
             AS t(id, slug, title, description, body, author_id, created_at)`,
        [
          ids,
          ids.map((id, i) => `${slugify(titles[i])}-${id}`),
          titles,
          ids.map(() => this.random.sentence(6, 14)),
          ids.map(() => this.random.paragraphs(3)),
          ids.map(() => 1 + this.random.int(size.users)),
          created,
        ],
      );
      const links = ids.flatMap((id) => this.random.sample(tagIds, size.tagsPerArticle).map((tagId) => [id, tagId] as const));
      await this.db.query(
        `INSERT INTO article_tags (article_id, tag_id, created_at)
         SELECT l.article_id, l.tag_id, a.created_at FROM unnest($1::int[], $2::int[]) AS l(article_id, tag_id) JOIN articles a ON a.id = l.article_id
         ON CONFLICT DO NOTHING`,
        [links.map(([articleId]) => articleId), links.map(([, tagId]) => tagId)],
      );
      // The search documents as the API writes them, tags included.
      await this.db.query(
        `INSERT INTO article_search (article_id, created_at, title, document)
         SELECT a.id, a.created_at, article_search_title(a.title), article_search_document(a.title, a.description, a.body, article_tag_names(a.id))
           FROM articles a WHERE a.id BETWEEN $1 AND $2`,
        [from, to],
      );
    });

    await this.insertPairs('feeds', 1, Math.min(size.feedUsers, size.users), size.feedFollows, size.users, 'follows (follower_id, followee_id)');
    await this.insertPairs('follows', size.feedUsers + 1, size.users, size.followsPerUser, size.users, 'follows (follower_id, followee_id)');
    if (size.popularAuthors > 0) {
      // Every k-th user follows each popular author: fan-out and follower counts at scale, in one statement.
      await this.db.query(
        `INSERT INTO follows (follower_id, followee_id)
         SELECT follower, author FROM generate_series(1, $1::int) AS follower, generate_series(1, $2::int) AS author
          WHERE follower <> author AND follower % $3::int = 0
         ON CONFLICT DO NOTHING`,
        [size.users, size.popularAuthors, Math.max(1, Math.round(1 / size.popularFollowerShare))],
      );
    }
    await this.insertPairs('favorites', 1, size.users, size.favoritesPerUser, size.articles, 'favorites (user_id, article_id)');
    await this.db.query(
      `UPDATE articles a SET favorites_count = f.count
         FROM (SELECT article_id, count(*) AS count FROM favorites GROUP BY article_id) f
        WHERE a.id = f.article_id`,
    );

    await this.insertBatches('comments', size.articles * size.commentsPerArticle, (from, to) => {
      const count = to - from + 1;
      return this.db.query(
        `INSERT INTO comments (article_id, author_id, body)
         SELECT * FROM unnest($1::int[], $2::int[], $3::text[])`,
        [
          Array.from({ length: count }, () => 1 + this.random.int(size.articles)),
          Array.from({ length: count }, () => 1 + this.random.int(size.users)),
          Array.from({ length: count }, () => this.random.sentence(5, 25)),
        ],
      );
    });

    // Explicit ids were inserted: move the identity sequences past them.
    for (const table of ['users', 'articles']) {
      await this.db.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST((SELECT max(id) FROM ${table}), 1))`);
    }
  }

  /** Each owner in firstOwner..lastOwner gets `perOwner` distinct random targets in 1..targets (self-pairs skipped for follows). */
  private async insertPairs(label: string, firstOwner: number, lastOwner: number, perOwner: number, targets: number, into: string): Promise<void> {
    if (lastOwner < firstOwner || perOwner === 0) return;
    const ownersPerBatch = Math.max(1, Math.floor(BATCH / Math.max(1, perOwner)));
    await this.insertBatches(
      label,
      lastOwner - firstOwner + 1,
      async (from, to) => {
        const pairs: [number, number][] = [];
        for (let owner = from; owner <= to; owner++) {
          const chosen = new Set<number>();
          const wanted = Math.min(perOwner, targets - 1);
          while (chosen.size < wanted) {
            const target = 1 + this.random.int(targets);
            if (!(into.startsWith('follows') && target === owner)) chosen.add(target);
          }
          for (const target of chosen) pairs.push([owner, target]);
        }
        await this.db.query(`INSERT INTO ${into} SELECT * FROM unnest($1::int[], $2::int[]) ON CONFLICT DO NOTHING`, [
          pairs.map(([owner]) => owner),
          pairs.map(([, target]) => target),
        ]);
      },
      ownersPerBatch,
      firstOwner,
    );
  }

  private async insertBatches(label: string, total: number, insert: (from: number, to: number) => Promise<unknown>, batch = BATCH, first = 1): Promise<void> {
    const bar = new ProgressBar(label, total);
    const last = first + total - 1;
    for (let from = first; from <= last; from += batch) {
      const to = Math.min(last, from + batch - 1);
      await insert(from, to);
      bar.tick(to - from + 1);
    }
    bar.finish();
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
