import { lookup as dnsLookup, LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { isSpecialPurposeAddress, TARGET_REFUSED } from '@app/queue';

/** A target the policy refuses; its message is the category the delivery history shows, nothing more. */
export class TargetRefusedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'TargetRefusedError';
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A drop-in for `dns.lookup` that the HTTP client calls when it connects, so
 * the address checked is the address used: a name that resolves to a public
 * address now and a private one a moment later (DNS rebinding) cannot slip
 * through. A name with any special-purpose address among its answers is
 * refused whole.
 */
export function publicOnlyLookup(hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    if (addresses.length === 0 || addresses.some((entry) => isSpecialPurposeAddress(entry.address))) {
      return callback(new TargetRefusedError(TARGET_REFUSED.address), []);
    }
    if ((options as LookupAllOptions).all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}
