import { randomBytes } from 'node:crypto';

const MAX_BASE_LENGTH = 200;

/** "How to train your Dragon!" -> "how-to-train-your-dragon"; accents folded, ASCII only. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_BASE_LENGTH)
    .replace(/-+$/, '');
  return slug || 'article';
}

/** The same slug made unique with a short random suffix, used when the plain one is taken. */
export function withRandomSuffix(slug: string): string {
  return `${slug}-${randomBytes(4).toString('hex')}`;
}
