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

  words(count: number): string {
    return Array.from({ length: count }, () => this.pick(WORDS)).join(' ');
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
