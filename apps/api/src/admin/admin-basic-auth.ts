import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * HTTP Basic authentication for the admin pages, against credentials from
 * config (compared in constant time). Without configured credentials the
 * pages answer 404: closed, and not advertised.
 */
export function adminBasicAuth(credentials: { username: string; password: string } | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (credentials === undefined) {
      res.status(404).json({ errors: { body: [`Cannot ${req.method} ${req.originalUrl}`] } });
      return;
    }
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
    const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const separator = decoded.indexOf(':');
    const ok = separator > 0 && same(decoded.slice(0, separator), credentials.username) && same(decoded.slice(separator + 1), credentials.password);
    if (!ok) {
      res.setHeader('WWW-Authenticate', 'Basic realm="Conduit admin", charset="UTF-8"');
      res.status(401).json({ errors: { body: ['admin credentials required'] } });
      return;
    }
    next();
  };
}
