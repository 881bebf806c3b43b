import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { unprocessable } from './api-errors';

const MAX_DEPTH = 32;
/** A surrogate half without its partner: not valid Unicode, and it breaks URI encoding in validators. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text PostgreSQL cannot store (U+0000) or that is not valid Unicode (lone
 * surrogates) is refused at the edge, for every body, query and path value,
 * so it becomes a clear 422 instead of a driver or validator crash.
 */
@Injectable()
export class RejectUnstorableTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const problem = findProblem(value, 0);
    if (problem) throw unprocessable(`${metadata.data ?? metadata.type} must not contain ${problem}`);
    return value;
  }
}

function findProblem(value: unknown, depth: number): string | undefined {
  if (typeof value === 'string') return problemInText(value);
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return undefined;
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((item) => ['', item]) : Object.entries(value);
  for (const [key, item] of entries) {
    const problem = problemInText(key) ?? findProblem(item, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

function problemInText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'NUL characters';
  if (LONE_SURROGATE.test(text)) return 'invalid Unicode (unpaired surrogates)';
  return undefined;
}
