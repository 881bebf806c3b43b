import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * Who a request counts as for rate limits and the login lockout: the client
 * address (`req.ip`, which already honours TRUSTED_PROXIES), with IPv6 clients
 * counted per network of `ipv6PrefixBits` leading bits. One subscriber gets a
 * whole /64 and can pick a fresh address in it for every request; counting per
 * /128 would let them escape every per-address limit. IPv4-mapped IPv6
 * addresses (`::ffff:192.0.2.1`) count as the IPv4 address they carry.
 */
export function clientIdentity(address: string | undefined, ipv6PrefixBits: number): string {
  if (address === undefined || address === '') return 'unknown';
  const plain = address.replace(/%.*$/, ''); // a zone id (fe80::1%eth0) names an interface, not a client
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(plain)) return plain;
  const groups = ipv6Groups(plain);
  let remaining = ipv6PrefixBits;
  const masked = groups.map((group) => {
    const keep = Math.max(0, Math.min(16, remaining));
    remaining -= 16;
    return keep === 0 ? 0 : group & (0xffff << (16 - keep)) & 0xffff;
  });
  return `${masked.map((group) => group.toString(16)).join(':')}/${ipv6PrefixBits}`;
}

/** The eight 16-bit groups of a valid IPv6 address, `::` and a trailing dotted IPv4 part expanded. */
export function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const zeros = tail === undefined ? [] : Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

const IDENTITY = Symbol('clientIdentity');
type WithIdentity = { ip?: string; [IDENTITY]?: string };

/** Works out each request's client identity once, right after TRUSTED_PROXIES has been applied. */
export function clientIdentityMiddleware(ipv6PrefixBits: number) {
  return (req: WithIdentity, _res: unknown, next: () => void): void => {
    req[IDENTITY] = clientIdentity(req.ip, ipv6PrefixBits);
    next();
  };
}

/** The identity `clientIdentityMiddleware` gave this request. */
export function clientIdentityOf(req: object): string {
  return (req as WithIdentity)[IDENTITY] ?? 'unknown';
}

/** The caller's client identity as a handler parameter (login counts attempts per account and client). */
export const ClientId = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  clientIdentityOf(context.switchToHttp().getRequest<object>()),
);
