import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema.generated';

/**
 * A typed client of the Conduit API: paths, parameters, bodies and responses
 * come from the committed OpenAPI document (schema.generated.ts), so a client
 * compiled against it breaks at build time when the contract changes.
 *
 *   const api = createConduitApiClient({ baseUrl: 'https://localhost:8443' });
 *   const { data } = await api.POST('/api/users/login', { body: { user: { email, password } } });
 *   await api.GET('/api/user', { headers: authorization(data!.user.token) });
 */
export type ConduitApiClient = Client<paths>;

export function createConduitApiClient(options: ClientOptions & { baseUrl: string }): ConduitApiClient {
  return createClient<paths>(options);
}

/** The RealWorld header: `Authorization: Token <jwt>`. */
export function authorization(token: string): { Authorization: string } {
  return { Authorization: `Token ${token}` };
}

type Schemas = components['schemas'];
export type User = Schemas['UserDto'];
export type NewUser = Schemas['NewUserDto'];
export type Profile = Schemas['ProfileDto'];
export type Article = Schemas['ArticleDto'];
export type ArticleSummary = Schemas['ArticleSummaryDto'];
export type NewArticle = Schemas['NewArticleDto'];
export type Comment = Schemas['CommentDto'];
export type ErrorResponse = Schemas['ErrorResponseDto'];
