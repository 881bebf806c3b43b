import { lookup as dnsLookup, LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Loopback, private, link-local, CGNAT, unique-local, multicast and unspecified
 * ranges: a webhook must never make the worker call into its own network (SSRF).
 * BlockList also matches IPv4-mapped IPv6 forms such as ::ffff:7f00:1.
 */
const PRIVATE_RANGES = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 3],
] as const) {
  PRIVATE_RANGES.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  PRIVATE_RANGES.addSubnet(network, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true; // not an address at all: refuse rather than guess
  return PRIVATE_RANGES.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

export class PrivateTargetError extends Error {
  constructor(host: string, address: string) {
    super(`target ${host} resolves to a private address (${address}); set WEBHOOK_ALLOW_PRIVATE_TARGETS to allow`);
    this.name = 'PrivateTargetError';
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A drop-in for `dns.lookup` that the HTTP client calls when it connects, so
 * the address checked is the address used: a name that resolves to a public
 * address now and a private one a moment later (DNS rebinding) cannot slip through.
 */
export function publicOnlyLookup(hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const blocked = addresses.find((entry) => isPrivateAddress(entry.address));
    if (blocked) return callback(new PrivateTargetError(hostname, blocked.address), []);
    if ((options as LookupAllOptions).all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

/** IP literals never reach a lookup, so they are checked up front. */
export function refusedLiteralTarget(url: URL): PrivateTargetError | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) && isPrivateAddress(host) ? new PrivateTargetError(host, host) : undefined;
}
