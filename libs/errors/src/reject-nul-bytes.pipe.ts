import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { unprocessable } from './api-errors';

const MAX_DEPTH = 32;

/**
 * PostgreSQL text cannot hold U+0000. Refusing it at the edge, for every body,
 * query and path value, turns what would be a driver error into a clear 422.
 */
@Injectable()
export class RejectNulBytesPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'custom' && containsNulByte(value, 0)) {
      throw unprocessable(`${metadata.data ?? metadata.type} must not contain NUL characters`);
    }
    return value;
  }
}

function containsNulByte(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((item) => containsNulByte(item, depth + 1));
  return Object.entries(value).some(([key, item]) => key.includes('\u0000') || containsNulByte(item, depth + 1));
}
