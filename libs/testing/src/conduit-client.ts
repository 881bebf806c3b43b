import { Article, authorization, ConduitApiClient, createConduitApiClient, NewArticle } from '@app/api-client';
import type { App } from 'supertest/types';
import request from 'supertest';
import { unique } from './unique';

export interface TestUser {
  readonly username: string;
  readonly email: string;
  readonly password: string;
  readonly token: string;
}

export type TestArticle = Article;

type Method = 'get' | 'post' | 'put' | 'delete';

/**
 * Every page of a cursor-paged list, from the first: `page(cursor)` answers one page's items and
 * its `nextCursor`; `between` runs after each page (to insert items while the walk goes on).
 * Bounded: a list that never ends fails the test.
 */
export async function walkPages<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  between: (pageNumber: number) => Promise<void> = async () => undefined,
): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const { items, nextCursor } = await page(cursor);
    pages.push(items);
    if (nextCursor === null) return pages;
    await between(i);
    cursor = nextCursor;
  }
  throw new Error('walkPages: the cursors did not end within 1000 pages');
}

/** A token's id (its `jti` claim), read without checking the signature: what a revocation row names. */
export function tokenIdOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { jti: string }).jti;
}

/**
 * Drives the Conduit API over HTTP the way a RealWorld client does (`Authorization: Token ...`).
 * `typed` is the published typed client (@app/api-client); the helpers go through it, so the
 * e2e suites stop compiling when the committed contract and the tests drift apart. `call` sends
 * anything at all (wrong types, missing fields) for the tests of invalid input.
 */
export class ConduitClient {
  readonly typed: ConduitApiClient;

  constructor(
    private readonly server: App,
    baseUrl: string,
  ) {
    this.typed = createConduitApiClient({ baseUrl });
  }

  call(method: Method, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const req = request(this.server)[method](path);
    if (options.token) req.set('Authorization', `Token ${options.token}`);
    for (const [name, value] of Object.entries(options.headers ?? {})) req.set(name, value);
    return options.body === undefined ? req : req.send(options.body as object);
  }

  async register(overrides: Partial<Omit<TestUser, 'token'>> = {}): Promise<TestUser> {
    const username = overrides.username ?? unique('user');
    const user = { username, email: overrides.email ?? `${username}@example.com`, password: overrides.password ?? 'correct-horse-battery' };
    const { data } = expectStatus(await this.typed.POST('/api/users', { body: { user } }), 201);
    return { ...user, token: data.user.token };
  }

  /** A new token for a registered user (a session of its own: logging it out leaves the others). */
  async login(user: Pick<TestUser, 'email' | 'password'>): Promise<string> {
    const { data } = expectStatus(await this.typed.POST('/api/users/login', { body: { user: { email: user.email, password: user.password } } }), 200);
    return data.user.token;
  }

  async createArticle(token: string, overrides: Partial<NewArticle> = {}): Promise<TestArticle> {
    const article = { title: unique('Title '), description: 'About it', body: 'The body', tagList: [], ...overrides };
    const { data } = expectStatus(await this.typed.POST('/api/articles', { body: { article }, headers: authorization(token) }), 201);
    return data.article;
  }

  async follow(token: string, username: string): Promise<void> {
    expectStatus(await this.typed.POST('/api/profiles/{username}/follow', { params: { path: { username } }, headers: authorization(token) }), 200);
  }
}

/** Narrows a typed-client result to its success body, or throws with what the API answered instead. */
export function expectStatus<T>(result: { data?: T; error?: unknown; response: Response }, status: number): { data: T; response: Response } {
  if (result.response.status !== status || result.data === undefined) {
    throw new Error(`expected ${status} from ${result.response.url}, got ${result.response.status}: ${JSON.stringify(result.error ?? result.data)}`);
  }
  return { data: result.data, response: result.response };
}
