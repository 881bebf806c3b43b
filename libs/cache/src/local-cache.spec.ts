import { LocalCache } from './local-cache';

describe('LocalCache', () => {
  const sized = (bytes: number) => 'x'.repeat(bytes - 2); // JSON adds the quotes

  it('returns what was stored, until its time is up', () => {
    jest.useFakeTimers();
    try {
      const cache = new LocalCache(10_000, 1000, false);
      cache.set('a', { n: 1 });
      expect(cache.get('a')).toEqual({ n: 1 });
      jest.advanceTimersByTime(1001);
      expect(cache.get('a')).toBeUndefined();
      expect(cache.size).toEqual({ entries: 0, bytes: 0 });
    } finally {
      jest.useRealTimers();
    }
  });

  it('drops entries nobody reads again once they expire, instead of filling up to its size', () => {
    jest.useFakeTimers();
    try {
      const cache = new LocalCache(1_000_000, 1000, false);
      for (let i = 0; i < 100; i++) cache.set(`old-${i}`, sized(100));
      jest.advanceTimersByTime(1001);
      // Each store drops some of the expired ones; never read again, they all go.
      for (let i = 0; i < 20; i++) cache.set(`new-${i}`, sized(100));
      expect(cache.size).toEqual({ entries: 20, bytes: 2000 });
      expect(cache.get('new-0')).toBeDefined();
    } finally {
      jest.useRealTimers();
    }
  });

  it('stays within its size, pushing out the least recently used entry first', () => {
    const cache = new LocalCache(16_000, 60_000, false);
    cache.set('a', sized(900));
    cache.set('b', sized(900));
    expect(cache.get('a')).toBeDefined(); // a is now more recent than b
    for (let i = 0; i < 16; i++) cache.set(`filler-${i}`, sized(900));
    expect(cache.size.bytes).toBeLessThanOrEqual(16_000);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('filler-15')).toBeDefined();
  });

  it('keeps no entry larger than a sixteenth of its size, and nothing at size 0', () => {
    const cache = new LocalCache(16_000, 60_000, false);
    cache.set('huge', sized(1001));
    expect(cache.get('huge')).toBeUndefined();
    const off = new LocalCache(0, 60_000, false);
    off.set('a', 1);
    expect(off.get('a')).toBeUndefined();
  });

  it('replaces an entry stored again under the same key, counting its size once', () => {
    const cache = new LocalCache(10_000, 60_000, false);
    cache.set('a', sized(100));
    cache.set('a', sized(200));
    expect(cache.size).toEqual({ entries: 1, bytes: 200 });
  });

  it('freezes entries when asked, so a request cannot change what other requests read', () => {
    const cache = new LocalCache(10_000, 60_000, true);
    const value = { article: { tagList: ['a'] } };
    cache.set('a', value);
    expect(() => {
      'use strict';
      cache.get<typeof value>('a')!.article.tagList.push('b');
    }).toThrow(TypeError);
  });
});
