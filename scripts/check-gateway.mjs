#!/usr/bin/env node
/**
 * `npm run gateway:check`: renders docker/nginx for a local run into a temporary directory
 * (with a throwaway self-signed certificate and two upstream instances) and runs `nginx -t`
 * on it. Prints the directory; exits non-zero when nginx rejects the configuration.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCommand } from './lib/apt.mjs';
import { ensureCertificate, testGatewayConfig, writeGatewayConfig } from './lib/gateway.mjs';

const nginx = findCommand('nginx');
if (nginx === undefined) {
  process.stderr.write('nginx is not installed\n');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'conduit-gateway-'));
const tls = await ensureCertificate({}, dir);
const { main } = writeGatewayConfig(join(dir, 'conf'), { env: process.env, tls, apiInstances: ['127.0.0.1:3000', '127.0.0.1:3001'] });
await testGatewayConfig(nginx, main, join(dir, 'conf'));
process.stdout.write(`${join(dir, 'conf')}\n`);
