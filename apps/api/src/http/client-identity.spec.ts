import { clientIdentity, ipv6Groups } from './client-identity';

describe('clientIdentity', () => {
  it('keeps IPv4 addresses and unwraps IPv4-mapped IPv6 ones', () => {
    expect(clientIdentity('203.0.113.7', 64)).toBe('203.0.113.7');
    expect(clientIdentity('::ffff:203.0.113.7', 64)).toBe('203.0.113.7');
    expect(clientIdentity(undefined, 64)).toBe('unknown');
  });

  it('counts every address of one IPv6 /64 as one client, and different /64s apart', () => {
    const a = clientIdentity('2001:db8:1:2::1', 64);
    expect(a).toBe('2001:db8:1:2:0:0:0:0/64');
    expect(clientIdentity('2001:db8:1:2:ffff:ffff:ffff:ffff', 64)).toBe(a);
    expect(clientIdentity('2001:DB8:1:2:aaaa::bbbb%eth0', 64)).toBe(a);
    expect(clientIdentity('2001:db8:1:3::1', 64)).not.toBe(a);
  });

  it('honours other prefix lengths, also ones that split a group', () => {
    expect(clientIdentity('2001:db8:1:2::1', 48)).toBe('2001:db8:1:0:0:0:0:0/48');
    expect(clientIdentity('2001:db8:1:2ff::1', 56)).toBe('2001:db8:1:200:0:0:0:0/56');
    expect(clientIdentity('2001:db8::1', 128)).toBe('2001:db8:0:0:0:0:0:1/128');
  });

  it('expands :: and a trailing dotted part', () => {
    expect(ipv6Groups('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Groups('64:ff9b::192.0.2.33')).toEqual([0x64, 0xff9b, 0, 0, 0, 0, 0xc000, 0x0221]);
    expect(ipv6Groups('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
