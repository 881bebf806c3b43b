import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { unauthorized } from '@app/errors';
import type { Request } from 'express';
import { AUTH_MODE, AuthMode } from './auth.decorators';
import { TokenRevocations } from './token-revocations';
import { AuthUser, TokenService } from './token.service';

/** RealWorld clients send `Token <jwt>`; `Bearer <jwt>` is accepted too (Swagger UI, generic clients). */
const AUTHORIZATION = /^(?:Token|Bearer) +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+) *$/i;

export type AuthenticatedRequest = Request & { user?: AuthUser };

/**
 * Reads the token when the route is marked `@Auth()` (required) or
 * `@OptionalAuth()`. A token that is present but invalid or revoked is always a 401,
 * even where authentication is optional: a client should learn its session ended.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly revocations: TokenRevocations,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const mode = this.reflector.getAllAndOverride<AuthMode | undefined>(AUTH_MODE, [context.getHandler(), context.getClass()]);
    if (mode === undefined) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (header === undefined || header === '') {
      if (mode === 'required') throw unauthorized('authentication required: send "Authorization: Token <jwt>"');
      return true;
    }
    const token = AUTHORIZATION.exec(header)?.[1];
    const user = token === undefined ? undefined : this.tokens.verify(token);
    if (user === undefined) throw unauthorized('token is invalid or expired');
    // From memory: revocations are pushed to every instance (token-revocations.ts), never looked up.
    if (this.revocations.isRevoked(user)) throw unauthorized('token has been revoked: log in again');
    request.user = user;
    return true;
  }
}
