import type { App } from 'supertest/types';
import request from 'supertest';
import { unique } from './unique';

export interface TestUser {
  readonly username: string;
  readonly email: string;
  readonly password: string;
  readonly token: string;
}

export interface TestArticle {
  readonly slug: string;
  readonly title: string;
  readonly tagList: string[];
  readonly favoritesCount: number;
  readonly [key: string]: unknown;
}

type Method = 'get' | 'post' | 'put' | 'delete';

/** Drives the Conduit API over HTTP the way a RealWorld client does (`Authorization: Token ...`). */
export class ConduitClient {
  constructor(private readonly server: App) {}

  call(method: Method, path: string, options: { token?: string; body?: unknown } = {}) {
    const req = request(this.server)[method](path);
    if (options.token) req.set('Authorization', `Token ${options.token}`);
    return options.body === undefined ? req : req.send(options.body as object);
  }

  async register(overrides: Partial<Omit<TestUser, 'token'>> = {}): Promise<TestUser> {
    const username = overrides.username ?? unique('user');
    const user = { username, email: overrides.email ?? `${username}@example.com`, password: overrides.password ?? 'correct-horse-battery' };
    const response = await this.call('post', '/api/users', { body: { user } }).expect(201);
    return { ...user, token: response.body.user.token };
  }

  async createArticle(token: string, overrides: Record<string, unknown> = {}): Promise<TestArticle> {
    const article = { title: unique('Title '), description: 'About it', body: 'The body', tagList: [], ...overrides };
    const response = await this.call('post', '/api/articles', { token, body: { article } }).expect(201);
    return response.body.article;
  }

  async follow(token: string, username: string): Promise<void> {
    await this.call('post', `/api/profiles/${username}/follow`, { token }).expect(200);
  }
}
