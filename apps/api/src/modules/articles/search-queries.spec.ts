import { HttpException } from '@nestjs/common';
import { SEARCH_COUNT_LIMIT, searchCountSql, searchPageSql } from './search-queries';
import { searchWords, tsqueryText } from './search-terms';

describe('search SQL', () => {
  it('builds the query from words alone: punctuation, quotes and query operators only separate them', () => {
    expect(searchWords(`Train' & DRAGONS | !(x):* <-> ""`)).toEqual(['Train', 'DRAGONS', 'x']);
    expect(tsqueryText(['train', 'dragons'])).toBe(`'train' & 'dragons':*`);
  });

  it('refuses to build SQL from anything but letters and digits, whoever calls it', () => {
    expect(() => searchCountSql([`x'); DROP TABLE articles; --`], [])).toThrow('letters and digits');
    expect(() => searchPageSql(['a b'], [], 20, 0)).toThrow('letters and digits');
  });

  it('counts up to the limit, and reads at most limit + offset rows per tier', () => {
    expect(searchCountSql(['dragon'], [])).toContain(`LIMIT ${SEARCH_COUNT_LIMIT}) matches`);
    const page = searchPageSql(['dragon'], [], 20, 40);
    expect(page.match(/LIMIT 60\)/g)).toHaveLength(2);
    expect(page).toContain('LIMIT $1 OFFSET $2');
    expect(page).toContain(`to_tsquery('conduit_search', '''dragon'':*')`);
  });

  it('joins the articles only when other filters need them', () => {
    expect(searchCountSql(['dragon'], [])).toContain('FROM article_search s WHERE');
    expect(searchCountSql(['dragon'], ['a.author_id = $1'])).toContain(
      'FROM articles a JOIN article_search s ON s.article_id = a.id WHERE a.author_id = $1 AND',
    );
  });

  it.each(['', '   ', '!!!', Array.from({ length: 17 }, (_, i) => `w${i}`).join(' ')])('refuses %j with a 422', (text) => {
    let status: number | undefined;
    try {
      searchWords(text);
    } catch (error) {
      status = (error as HttpException).getStatus();
    }
    expect(status).toBe(422);
  });
});
