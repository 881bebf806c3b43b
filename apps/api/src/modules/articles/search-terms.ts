import { unprocessable } from '@app/errors';

/** Longest `q` accepted, in characters; more is refused (422), not cut. */
export const MAX_SEARCH_LENGTH = 200;
/** Most words a query may have: each is one more term every match must hold. */
export const MAX_SEARCH_WORDS = 16;

/**
 * The words of a search query: runs of letters and digits in any script. Everything else
 * (punctuation, quotes, the operators of PostgreSQL's query syntax) only separates words, so any
 * text is safe and none of it is syntax. Case is left to PostgreSQL, which folds the documents
 * and the query alike (non-ASCII letters too when the database's LC_CTYPE is a UTF-8 one).
 */
export function searchWords(text: string): string[] {
  const words = text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) throw unprocessable('q must contain at least one word (letters or digits)');
  if (words.length > MAX_SEARCH_WORDS) throw unprocessable(`q must have at most ${MAX_SEARCH_WORDS} words`);
  return [...new Set(words)];
}

/**
 * PostgreSQL `tsquery` text for `words`: every word, stemmed by the search language, the last
 * also as the start of a longer word ("train drag" finds "training dragons": the word being
 * typed; a prefix of every word would cost the index a scan of its words per word). Safe to
 * build as text: words are letters and digits.
 */
export function tsqueryText(words: readonly string[]): string {
  return words.map((word, i) => `'${word}'${i === words.length - 1 ? ':*' : ''}`).join(' & ');
}
