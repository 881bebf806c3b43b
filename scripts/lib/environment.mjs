import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_DIR } from './paths.mjs';

function parseEnvFile(path) {
  const values = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) values[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

/**
 * The environment for local runs: the process environment wins, then `.env`,
 * then the documented defaults in `.env.example`.
 */
export function localEnvironment() {
  const example = parseEnvFile(join(PROJECT_DIR, '.env.example'));
  const local = existsSync(join(PROJECT_DIR, '.env')) ? parseEnvFile(join(PROJECT_DIR, '.env')) : {};
  const merged = { ...example, ...local };
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) merged[key] = value;
  return merged;
}

export const isLocalHost = (hostname) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname);
