const { default: pg } = await import('pg');

/**
 * What the database holds after a scenario, read on the primary: the acknowledged writes that are
 * missing, the events whose notifications are missing or doubled, and the events not relayed.
 */
export async function verifyWrites(url, acknowledged) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const slugs = acknowledged.articles.map((article) => article.slug);
    const foundArticles = new Set((await client.query('SELECT slug FROM articles WHERE slug = ANY($1::text[])', [slugs])).rows.map((row) => row.slug));
    const commentIds = acknowledged.comments.map((comment) => comment.id);
    const foundComments = new Set((await client.query('SELECT id FROM comments WHERE id = ANY($1::int[])', [commentIds])).rows.map((row) => row.id));
    const favoritePairs = acknowledged.favorites.map((favorite) => `${favorite.slug}\n${favorite.username}`);
    const foundFavorites = new Set(
      (
        await client.query(
          `SELECT a.slug || E'\\n' || u.username AS pair FROM favorites f JOIN articles a ON a.id = f.article_id JOIN users u ON u.id = f.user_id
            WHERE a.slug || E'\\n' || u.username = ANY($1::text[])`,
          [favoritePairs],
        )
      ).rows.map((row) => row.pair),
    );
    const lost = {
      articles: slugs.filter((slug) => !foundArticles.has(slug)),
      comments: commentIds.filter((id) => !foundComments.has(id)),
      favorites: favoritePairs.filter((pair) => !foundFavorites.has(pair)),
    };
    return { lostWrites: lost.articles.length + lost.comments.length + lost.favorites.length, lost };
  } finally {
    await client.end();
  }
}

/**
 * Every event of the run against its effect: an article's notification for each follower of its
 * author, a comment's and a favorite's for the article's author (unless they are the same user).
 * `missing` counts expected notifications that are not there; `duplicated` counts one action
 * notified more than once (under two events: a write recorded twice).
 */
export async function verifyEvents(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const [{ unrelayed }] = (await client.query('SELECT count(*)::int AS unrelayed FROM outbox_events WHERE relayed_at IS NULL')).rows;
    const [{ missing }] = (
      await client.query(`
        WITH expected AS (
          SELECT o.id AS event_id, f.follower_id AS recipient_id
            FROM outbox_events o JOIN follows f ON f.followee_id = (o.payload->>'authorId')::int
           WHERE o.type = 'article.published'
          UNION ALL
          SELECT o.id, (o.payload->>'articleAuthorId')::int FROM outbox_events o
           WHERE o.type = 'comment.created' AND o.payload->>'authorId' <> o.payload->>'articleAuthorId'
          UNION ALL
          SELECT o.id, (o.payload->>'authorId')::int FROM outbox_events o
           WHERE o.type = 'article.favorited' AND o.payload->>'userId' <> o.payload->>'authorId')
        SELECT count(*)::int AS missing FROM expected e
         WHERE NOT EXISTS (SELECT 1 FROM notifications n WHERE n.event_id = e.event_id AND n.recipient_id = e.recipient_id)`)
    ).rows;
    const [{ duplicated }] = (
      await client.query(`
        SELECT coalesce(sum(copies - 1), 0)::int AS duplicated FROM (
          SELECT count(*) AS copies FROM notifications
           GROUP BY type, recipient_id, actor_id, article_id, comment_id HAVING count(*) > 1) d`)
    ).rows;
    return { unrelayed, missing, duplicated };
  } finally {
    await client.end();
  }
}
