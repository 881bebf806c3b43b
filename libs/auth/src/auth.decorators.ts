import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '@app/errors';
import type { AuthUser } from './token.service';

export const AUTH_MODE = 'conduit:auth-mode';
export type AuthMode = 'required' | 'optional';
/** Name of the OpenAPI security scheme (as in the RealWorld spec). */
export const TOKEN_SECURITY_SCHEME = 'Token';

/** The route needs a valid token; 401 otherwise. */
export const Auth = () =>
  applyDecorators(
    SetMetadata(AUTH_MODE, 'required'),
    ApiSecurity(TOKEN_SECURITY_SCHEME),
    ApiUnauthorizedResponse({ description: 'Missing, malformed, forged or expired token', type: ErrorResponseDto }),
  );

/** The route works anonymously; a valid token personalises it (`following`, `favorited`). */
export const OptionalAuth = () =>
  applyDecorators(
    SetMetadata(AUTH_MODE, 'optional'),
    ApiSecurity(TOKEN_SECURITY_SCHEME),
    ApiSecurity({}),
    ApiUnauthorizedResponse({ description: 'A token was sent but is invalid or expired', type: ErrorResponseDto }),
  );

/** The authenticated user (on `@Auth()` routes) or undefined (anonymous on `@OptionalAuth()` routes). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser | undefined => {
  return context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
});
