import { slugify, withRandomSuffix } from './slug';

describe('slugify', () => {
  it('lowercases and joins words with hyphens', () => {
    expect(slugify('How to train your Dragon!')).toBe('how-to-train-your-dragon');
  });

  it('folds accents and drops symbols', () => {
    expect(slugify('  Crème brûlée -- à la   carte ')).toBe('creme-brulee-a-la-carte');
  });

  it('falls back to "article" when nothing usable is left', () => {
    expect(slugify('日本語 !!!')).toBe('article');
  });

  it('caps the length without a trailing hyphen', () => {
    const slug = slugify(`${'a'.repeat(199)} b`);
    expect(slug.length).toBeLessThanOrEqual(200);
    expect(slug.endsWith('-')).toBe(false);
  });

  it('adds a random suffix that differs between calls', () => {
    const first = withRandomSuffix('dragons');
    expect(first).toMatch(/^dragons-[0-9a-f]{8}$/);
    expect(withRandomSuffix('dragons')).not.toBe(first);
  });
});
