/** Deterministic sample data: the same seed number gives the same data set. */
export class SampleData {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: small, fast and good enough for fake content. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** `count` distinct items. */
  sample<T>(items: readonly T[], count: number): T[] {
    const chosen = new Set<T>();
    while (chosen.size < Math.min(count, items.length)) chosen.add(this.pick(items));
    return [...chosen];
  }

  /** Words as a language has them: a few very common, most rare (Zipf's law over VOCABULARY), so searches find what they would. */
  words(count: number): string {
    return Array.from({ length: count }, () => VOCABULARY[zipfRank(this.next())]).join(' ');
  }

  sentence(minWords: number, maxWords: number): string {
    const text = this.words(minWords + this.int(maxWords - minWords + 1));
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  }

  paragraphs(count: number): string {
    return Array.from({ length: count }, () => Array.from({ length: 3 + this.int(4) }, () => this.sentence(6, 16)).join(' ')).join('\n\n');
  }
}

export const TAGS = [
  'javascript',
  'typescript',
  'nestjs',
  'nodejs',
  'postgres',
  'redis',
  'react',
  'angular',
  'vue',
  'svelte',
  'css',
  'html',
  'devops',
  'docker',
  'kubernetes',
  'testing',
  'security',
  'performance',
  'architecture',
  'design',
  'career',
  'productivity',
  'open-source',
  'rust',
  'go',
  'python',
  'databases',
  'cloud',
  'ai',
  'dragons',
] as const;

export const FIRST_NAMES = [
  'ada',
  'alan',
  'grace',
  'linus',
  'margaret',
  'ken',
  'dennis',
  'barbara',
  'edsger',
  'donald',
  'frances',
  'john',
  'radia',
  'tim',
  'guido',
  'bjarne',
  'anders',
  'brendan',
  'yukihiro',
  'rasmus',
] as const;

const WORDS = [
  'system',
  'design',
  'data',
  'query',
  'index',
  'cache',
  'latency',
  'module',
  'service',
  'request',
  'response',
  'token',
  'dragon',
  'train',
  'build',
  'deploy',
  'scale',
  'queue',
  'worker',
  'event',
  'stream',
  'table',
  'schema',
  'migration',
  'test',
  'bench',
  'profile',
  'metric',
  'graph',
  'node',
  'thread',
  'pool',
  'memory',
  'disk',
  'network',
  'packet',
  'socket',
  'server',
  'client',
  'browser',
  'simple',
  'fast',
  'robust',
  'careful',
  'modern',
  'practical',
  'hidden',
  'better',
  'small',
  'large',
  'why',
  'how',
  'when',
  'what',
  'every',
  'never',
  'always',
  'really',
  'quietly',
  'boldly',
] as const;

/** Syllables of the made-up words that follow WORDS in the vocabulary. */
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'da', 'fe', 'gi', 'ho', 'ju', 'pa', 'qua', 're', 'so', 'tu', 'wy'];

/** The n-th made-up word: n written in base 20 with syllables for digits, at least two of them. */
function madeUpWord(n: number): string {
  let word = '';
  for (let rest = n + SYLLABLES.length; rest > 0; rest = Math.floor(rest / SYLLABLES.length)) word = SYLLABLES[rest % SYLLABLES.length] + word;
  return word;
}

/**
 * English's most frequent words, which lead any text's counts as they lead these: stop words to
 * PostgreSQL's English search configuration (it leaves them out of the documents).
 */
const FUNCTION_WORDS = ['the', 'of', 'and', 'to', 'in', 'is', 'it', 'that', 'for', 'on', 'with', 'as', 'was', 'by', 'at', 'be', 'this', 'are', 'from', 'or'];

/** The words of the sample texts, most frequent first: function words, the real words, then 20,000 made-up ones. */
const VOCABULARY: readonly string[] = [...FUNCTION_WORDS, ...WORDS, ...Array.from({ length: 20_000 }, (_, n) => madeUpWord(n))];

/** Cumulative Zipf weights (rank r has weight 1/r): the rank of a uniform draw by binary search. */
const ZIPF_CUMULATIVE = (() => {
  const sums = new Float64Array(VOCABULARY.length);
  let total = 0;
  for (let rank = 0; rank < VOCABULARY.length; rank++) sums[rank] = total += 1 / (rank + 1);
  return sums.map((sum) => sum / total);
})();

function zipfRank(uniform: number): number {
  let [low, high] = [0, ZIPF_CUMULATIVE.length - 1];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (ZIPF_CUMULATIVE[middle] < uniform) low = middle + 1;
    else high = middle;
  }
  return low;
}
