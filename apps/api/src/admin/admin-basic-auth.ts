import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { notFound, sendApiError, TooManyRequestsError, unauthorized } from '@app/errors';

export interface AdminGateOptions {
  /** Basic-auth credentials from config; undefined: the pages answer 404 (closed, and not advertised). */
  readonly credentials: { readonly username: string; readonly password: string } | undefined;
  /** Counts one request of this client; resolves with the seconds to wait when it is over the limit. */
  readonly limit: (req: Request) => Promise<number | undefined>;
  /** A request came with missing or wrong credentials. */
  readonly failed: (req: Request) => void;
}

/**
 * The admin pages' door: a rate limit per client on every request, then HTTP
 * Basic authentication. The received user name and password are compared as
 * one pair, through an HMAC under a key made at start-up, so the comparison
 * takes the same time whatever their lengths and whichever part is wrong.
 */
export function adminGate(options: AdminGateOptions) {
  const key = randomBytes(32);
  const fingerprint = (pair: string) => createHmac('sha256', key).update(pair).digest();
  const expected = options.credentials && fingerprint(`${options.credentials.username}\0${options.credentials.password}`);

  return (req: Request, res: Response, next: NextFunction): void => {
    if (expected === undefined) {
      sendApiError(res, notFound(`Cannot ${req.method} ${req.originalUrl}`));
      return;
    }
    void options.limit(req).then((waitSeconds) => {
      if (waitSeconds !== undefined) {
        sendApiError(res, new TooManyRequestsError(waitSeconds, `too many requests; retry in ${waitSeconds} s`));
        return;
      }
      const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
      const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
      const separator = decoded.indexOf(':');
      const received = fingerprint(separator > 0 ? `${decoded.slice(0, separator)}\0${decoded.slice(separator + 1)}` : '\0');
      if (!timingSafeEqual(received, expected)) {
        options.failed(req);
        res.setHeader('WWW-Authenticate', 'Basic realm="Conduit admin", charset="UTF-8"');
        sendApiError(res, unauthorized('admin credentials required'));
        return;
      }
      next();
    }, next);
  };
}
