import { parseIdempotencyKey, requestFingerprint } from './idempotency-key';
import { httpStatusOf } from '@app/testing';

describe('Idempotency-Key header', () => {
  it('reads an sf-string with its escapes, or a bare value', () => {
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey('"a \\"quoted\\" \\\\ key"')).toBe('a "quoted" \\ key');
    expect(parseIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey(`"${'k'.repeat(255)}"`)).toHaveLength(255);
  });

  it.each([[''], ['""'], ['"open'], ['"a\\qb"'], ['two words'], ['"a", "b"'], [`"${'k'.repeat(256)}"`], ['"ключ"'], [['"a"', '"b"']]])(
    'refuses %j with 400',
    (value) => {
      expect(httpStatusOf(() => parseIdempotencyKey(value))).toBe(400);
    },
  );

  it('tells requests apart by method, path with query, and body', () => {
    const base = { method: 'POST', originalUrl: '/api/articles', body: { article: { title: 'a' } } };
    const same = requestFingerprint({ ...base, body: { article: { title: 'a' } } });
    expect(requestFingerprint(base).equals(same)).toBe(true);
    for (const other of [
      { ...base, method: 'PUT' },
      { ...base, originalUrl: '/api/articles?x=1' },
      { ...base, body: { article: { title: 'b' } } },
    ]) {
      expect(requestFingerprint(other).equals(same)).toBe(false);
    }
  });
});
