/**
 * The fixed endpoint mix. Each scenario is one autocannon run against the
 * API; `requests` rotates over the data set so reads are not one hot key
 * only where the real traffic would not be, and writes never repeat.
 */
export function scenarios({ slugs, searches, reader, readerToken, writers, writerTokens, popularAuthor }) {
  let counter = 0;
  const next = () => counter++;
  const pick = (items) => items[next() % items.length];
  const auth = (token) => ({ authorization: `Token ${token}` });
  const json = { 'content-type': 'application/json' };
  const hotSlugs = slugs.slice(0, 20);
  const get = (path, headers = {}) => ({ method: 'GET', path, headers });
  /** A write whose path, headers and body are built afresh for the n-th request. */
  const post = (name, build) => ({
    name,
    kind: 'write',
    request: {
      method: 'POST',
      path: '/',
      setupRequest: (req) => {
        const { path, headers, body } = build(next());
        return { ...req, path, headers, body: body === undefined ? undefined : JSON.stringify(body) };
      },
    },
  });

  return [
    { name: 'list articles (anonymous)', kind: 'read', request: get('/api/articles?limit=20') },
    { name: 'list articles (authenticated)', kind: 'read', request: get('/api/articles?limit=20', auth(readerToken)) },
    { name: 'articles by tag', kind: 'read', request: get('/api/articles?tag=javascript&limit=20') },
    { name: 'articles by author', kind: 'read', request: get(`/api/articles?author=${popularAuthor}&limit=20`) },
    { name: `feed (${reader.follows} authors)`, kind: 'read', request: get('/api/articles/feed?limit=20', auth(readerToken)) },
    {
      name: 'single article',
      kind: 'read',
      request: { ...get('/'), setupRequest: (req) => ({ ...req, path: `/api/articles/${pick(hotSlugs)}` }) },
    },
    {
      name: 'comments of an article',
      kind: 'read',
      request: { ...get('/'), setupRequest: (req) => ({ ...req, path: `/api/articles/${pick(hotSlugs)}/comments` }) },
    },
    {
      name: 'search (two words)',
      kind: 'read',
      request: {
        ...get('/'),
        setupRequest: (req) => ({ ...req, path: `/api/articles?q=${encodeURIComponent(pick(searches.length > 0 ? searches : ['design system']))}&limit=20` }),
      },
    },
    { name: 'tags', kind: 'read', request: get('/api/tags') },
    { name: 'profile', kind: 'read', request: get(`/api/profiles/${popularAuthor}`) },
    {
      // Rotating over the writers' accounts, as many users logging in would: parallel logins to one
      // account from one client count against its lockout (each attempt counts before its check).
      name: 'login',
      kind: 'write',
      request: {
        method: 'POST',
        path: '/api/users/login',
        headers: json,
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ user: { email: pick(writers), password: 'password123' } }) }),
      },
    },
    post('create article', (n) => ({
      path: '/api/articles',
      headers: { ...json, ...auth(writerTokens[n % writerTokens.length]) },
      body: {
        article: {
          title: `Benchmark article ${process.pid}-${n}`,
          description: 'Written by the benchmark',
          body: 'Load '.repeat(50),
          tagList: ['bench', `bench-${n % 10}`],
        },
      },
    })),
    // Each writer favorites each sampled article once: every request changes a row.
    post('favorite', (n) => ({
      path: `/api/articles/${slugs[n % slugs.length]}/favorite`,
      headers: auth(writerTokens[Math.floor(n / slugs.length) % writerTokens.length]),
    })),
    post('comment', (n) => ({
      path: `/api/articles/${slugs[n % slugs.length]}/comments`,
      headers: { ...json, ...auth(writerTokens[n % writerTokens.length]) },
      body: { comment: { body: `Benchmark comment ${n}` } },
    })),
  ];
}
