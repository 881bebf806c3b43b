import { Agent, request } from 'node:https';

/**
 * A client of the gateway (HTTPS, its self-signed certificate trusted), answering
 * `{ status, retryAfter, body }`, or `{ status: 'error: ...' }` when no answer came.
 */
export class GatewayClient {
  constructor(baseUrl, ca) {
    this.baseUrl = baseUrl;
    this.agent = new Agent({ ca, keepAlive: true, maxSockets: 64 });
  }

  send(method, path, { token, body, timeoutMs = 40_000 } = {}) {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve) => {
      const req = request(
        `${this.baseUrl}${path}`,
        {
          method,
          agent: this.agent,
          timeout: timeoutMs,
          headers: {
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
            ...(token ? { authorization: `Token ${token}` } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => {
            let parsed;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body: parsed });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer in time')));
      req.on('error', (error) => resolve({ status: `error: ${error.message}` }));
      req.end(payload);
    });
  }

  close() {
    this.agent.destroy();
  }
}

/** Registers a user through the gateway; throws unless it worked. */
export async function register(client, username) {
  const user = { username, email: `${username}@example.com`, password: 'failover-password-1' };
  const answer = await client.send('POST', '/api/users', { body: { user } });
  if (answer.status !== 201) throw new Error(`registering ${username}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { ...user, token: answer.body.user.token };
}

/**
 * A bounded mixed load through the gateway from `loops` concurrent loops: reads (lists, single
 * articles, comments), article creates (by the writers), favorites and comments (by the readers
 * on acknowledged articles). Every answer is logged with its time; every acknowledged write (2xx)
 * is recorded, so that after recovery each can be looked for.
 */
export class MixedLoad {
  constructor(client, { writers, readers, loops = 8 }) {
    this.client = client;
    this.writers = writers;
    this.readers = readers;
    this.loops = loops;
    this.running = false;
    /** { at, op, status, retryAfter, ms } for every request. */
    this.log = [];
    this.acknowledged = { articles: [], favorites: [], comments: [] };
    this.sequence = 0;
  }

  start() {
    this.running = true;
    this.done = Promise.all(Array.from({ length: this.loops }, (_, loop) => this.loop(loop)));
  }

  async stop() {
    this.running = false;
    await this.done;
  }

  async loop(loop) {
    for (let i = 0; this.running; i++) {
      const op = ['create', 'read', 'favorite', 'read', 'comment', 'read'][(loop + i) % 6];
      const started = Date.now();
      const answer = await this.send(op, loop, i);
      this.log.push({ at: started, op, status: answer.status, retryAfter: answer.retryAfter, ms: Date.now() - started });
      // A failure is retried a little later, as a client would (and not in a hot loop).
      if (typeof answer.status !== 'number' || answer.status >= 500) await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  randomArticle() {
    const articles = this.acknowledged.articles;
    return articles.length === 0 ? undefined : articles[Math.floor(Math.random() * articles.length)];
  }

  async send(op, loop, i) {
    const writer = this.writers[loop % this.writers.length];
    const reader = this.readers[(loop + i) % this.readers.length];
    const article = this.randomArticle();
    switch (op) {
      case 'create': {
        const title = `Failover ${process.pid} ${this.sequence++}`;
        const answer = await this.client.send('POST', '/api/articles', {
          token: writer.token,
          body: { article: { title, description: 'written under a fault', body: 'b', tagList: ['failover'] } },
        });
        if (answer.status === 201) this.acknowledged.articles.push({ slug: answer.body.article.slug, author: writer.username, id: undefined });
        return answer;
      }
      case 'favorite': {
        if (!article) return this.read(article);
        const answer = await this.client.send('POST', `/api/articles/${article.slug}/favorite`, { token: reader.token });
        if (answer.status === 200) this.acknowledged.favorites.push({ slug: article.slug, username: reader.username });
        return answer;
      }
      case 'comment': {
        if (!article) return this.read(article);
        const answer = await this.client.send('POST', `/api/articles/${article.slug}/comments`, { token: reader.token, body: { comment: { body: `c${i}` } } });
        if (answer.status === 200) this.acknowledged.comments.push({ id: answer.body.comment.id, slug: article.slug, author: reader.username });
        return answer;
      }
      default:
        return this.read(article, i);
    }
  }

  read(article, i = 0) {
    if (article && i % 2 === 0) return this.client.send('GET', `/api/articles/${article.slug}${i % 4 === 0 ? '/comments' : ''}`);
    return this.client.send('GET', '/api/articles?limit=10&tag=failover');
  }

  /** The log's requests from `from` on (ms since the epoch), before `to`. */
  between(from, to = Infinity) {
    return this.log.filter((entry) => entry.at >= from && entry.at < to);
  }
}

/** Counts by status ("201", "503+Retry-After", "error: ..."). */
export function byStatus(entries) {
  const counts = {};
  for (const { status, retryAfter } of entries) {
    const key = typeof status === 'number' && status >= 500 ? `${status}${retryAfter !== undefined ? ' with Retry-After' : ''}` : String(status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * How long writes stopped: the longest stretch after `from` without an acknowledged write,
 * in seconds (from the last success before the fault, or the fault, to the next success).
 */
export function writeGapSeconds(entries, from) {
  const writes = entries.filter((entry) => entry.op !== 'read' && typeof entry.status === 'number' && entry.status < 300).map((entry) => entry.at + entry.ms);
  writes.sort((a, b) => a - b);
  let previous = from;
  let gap = 0;
  for (const at of writes.filter((time) => time >= from)) {
    gap = Math.max(gap, at - previous);
    previous = at;
  }
  return Math.round(gap / 100) / 10;
}
