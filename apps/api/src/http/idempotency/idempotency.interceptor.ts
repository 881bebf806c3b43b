import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { AuthenticatedRequest } from '@app/auth';
import type { Response } from 'express';
import { from, lastValueFrom, map, Observable } from 'rxjs';
import { IdempotentRequests } from './idempotent-requests';
import { parseIdempotencyKey, REPLAYED_HEADER, requestFingerprint } from './idempotency-key';

const KEYED_METHODS = new Set(['POST', 'PUT', 'DELETE']);

/**
 * Hands a POST, PUT or DELETE that carries an Idempotency-Key to IdempotentRequests; every other
 * request passes untouched. Runs after the guards (the key is the authenticated user's) and
 * around the pipes and the handler (a request refused by validation stores nothing).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly requests: IdempotentRequests) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const header = request.headers['idempotency-key'];
    if (header === undefined || !KEYED_METHODS.has(request.method)) return next.handle();
    const response = http.getResponse<Response>();
    const keyed = {
      key: parseIdempotencyKey(header),
      scope: request.user === undefined ? 'anonymous' : `user:${request.user.id}`,
      fingerprint: requestFingerprint(request),
    };
    const answer = this.requests.run(keyed, async () => {
      const body: unknown = await lastValueFrom(next.handle() as Observable<unknown>, { defaultValue: undefined });
      return { status: response.statusCode, body };
    });
    return from(answer).pipe(
      map(({ status, body, replayed }) => {
        response.status(status);
        if (replayed) response.setHeader(REPLAYED_HEADER, 'true');
        return body;
      }),
    );
  }
}
