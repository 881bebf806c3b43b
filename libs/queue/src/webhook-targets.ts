import { BlockList, isIP } from 'node:net';

/**
 * Which webhook targets are allowed: the API checks a URL when it is
 * registered, the worker checks it again (and every address its name
 * resolves to) when it connects. A webhook must never make the worker call
 * into its own network or any address that is not an ordinary public one
 * (SSRF), nor reach a service on an arbitrary port.
 */
export interface WebhookTargetPolicy {
  /** Tests and local development opt out explicitly (WEBHOOK_ALLOW_PRIVATE_TARGETS=true). */
  readonly allowPrivateTargets: boolean;
  /** WEBHOOK_ALLOWED_PORTS: by default 80 and 443. */
  readonly allowedPorts: readonly number[] | 'any';
}

/** What a refused target is recorded as: a category, never the address or the resolver's answer. */
export const TARGET_REFUSED = {
  address: 'target refused: not a public address',
  port: 'target refused: port not allowed',
} as const;

/**
 * Every range of the IANA IPv4 and IPv6 Special-Purpose Address Registries,
 * plus multicast and the reserved class E space. Some special-purpose ranges
 * are marked "globally reachable" there (AS112, anycast relays, ...), but no
 * webhook receiver lives on them, so they are refused too.
 */
const SPECIAL_PURPOSE_IPV4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared address space (CGNAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link local
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments (incl. DS-Lite, NAT64 discovery)
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.31.196.0', 24], // AS112-v4
  ['192.52.193.0', 24], // AMT
  ['192.88.99.0', 24], // deprecated 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['192.175.48.0', 24], // direct delegation AS112
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 (limited broadcast)
];

const SPECIAL_PURPOSE_IPV6: ReadonlyArray<readonly [string, number]> = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // deprecated IPv4-compatible
  ['::ffff:0:0', 96], // IPv4-mapped
  ['64:ff9b::', 96], // NAT64 well-known prefix
  ['64:ff9b:1::', 48], // NAT64 local-use
  ['100::', 64], // discard-only
  ['100:0:0:1::', 64], // dummy prefix
  ['2001::', 23], // IETF protocol assignments (incl. Teredo 2001::/32, ORCHIDv2, AMT)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['2620:4f:8000::', 48], // direct delegation AS112
  ['3fff::', 20], // documentation
  ['5f00::', 16], // segment routing (SRv6) SIDs
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link local
  ['fec0::', 10], // deprecated site local
  ['ff00::', 8], // multicast
];

const SPECIAL_IPV4 = new BlockList();
for (const [network, prefix] of SPECIAL_PURPOSE_IPV4) SPECIAL_IPV4.addSubnet(network, prefix, 'ipv4');
const SPECIAL_IPV6 = new BlockList();
for (const [network, prefix] of SPECIAL_PURPOSE_IPV6) SPECIAL_IPV6.addSubnet(network, prefix, 'ipv6');

/** True unless `address` is an ordinary public unicast address (anything unparsable is refused). */
export function isSpecialPurposeAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return SPECIAL_IPV4.check(address, 'ipv4');
  // A BlockList of IPv4 rules also matches IPv4-mapped IPv6 forms, but ::ffff:0:0/96 is refused whole anyway.
  if (family === 6) return SPECIAL_IPV6.check(address, 'ipv6');
  return true;
}

export function effectivePort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/**
 * Why `url` may not be a webhook target as written, or undefined if it may (a
 * host name is checked again, address by address, when it is resolved).
 */
export function refusedTarget(url: URL, policy: WebhookTargetPolicy): string | undefined {
  if (policy.allowedPorts !== 'any' && !policy.allowedPorts.includes(effectivePort(url))) return TARGET_REFUSED.port;
  if (policy.allowPrivateTargets) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return isSpecialPurposeAddress(host) ? TARGET_REFUSED.address : undefined;
  // Names that can only mean this machine or a local network.
  return /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i.test(host) ? TARGET_REFUSED.address : undefined;
}
