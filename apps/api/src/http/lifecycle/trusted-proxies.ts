import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';

type TrustFn = (address: string, hop: number) => boolean;

/**
 * Believes forwarding headers only from the configured proxies (the gateway):
 * Express then takes the client address (`req.ip`, which rate limits key on) and
 * protocol from X-Forwarded-For/Proto, and the returned middleware drops an
 * X-Request-Id that did not come through one, so clients cannot forge log ids.
 */
export function trustProxies(app: NestExpressApplication, proxies: readonly string[]) {
  app.set('trust proxy', proxies.length > 0 ? [...proxies] : false);
  const trusted = app.getHttpAdapter().getInstance().get('trust proxy fn') as TrustFn;
  return (req: IncomingMessage, _res: ServerResponse, next: () => void): void => {
    if (req.headers['x-request-id'] !== undefined && !trusted(req.socket.remoteAddress ?? '', 0)) delete req.headers['x-request-id'];
    next();
  };
}
