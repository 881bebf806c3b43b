import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCommand } from './apt.mjs';
import { log } from './log.mjs';
import { isRoot, PROJECT_DIR } from './paths.mjs';
import { run } from './run.mjs';

/** The gateway configuration shared with Docker Compose (docker/nginx). */
export const NGINX_DIR = join(PROJECT_DIR, 'docker', 'nginx');

/**
 * Replaces `${NAME}` for each NAME in `values`, like the nginx image's envsubst step
 * (which also leaves nginx's own `$variables` alone). A `${GATEWAY_...}` left over
 * means a setting is missing, which nginx would only report as a confusing syntax error.
 */
export function renderTemplate(text, values) {
  const rendered = text.replace(/\$\{([A-Z0-9_]+)\}/g, (whole, name) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
  const missing = [...new Set([...rendered.matchAll(/\$\{(GATEWAY_[A-Z0-9_]+)\}/g)].map((m) => m[1]))];
  if (missing.length > 0) throw new Error(`gateway template needs ${missing.join(', ')}`);
  return rendered;
}

/** Gateway settings from the environment (see .env.example), with the local run's defaults. */
export function gatewaySettings(env, { tls, upstreamServersFile, accessLog }) {
  const httpsPort = env.GATEWAY_HTTPS_PORT || '8443';
  return {
    GATEWAY_HTTP_PORT: env.GATEWAY_HTTP_PORT || '8080',
    GATEWAY_HTTPS_PORT: httpsPort,
    GATEWAY_PUBLIC_HTTPS_PORT: env.GATEWAY_PUBLIC_HTTPS_PORT || httpsPort,
    GATEWAY_TLS_CERTIFICATE: tls.certificate,
    GATEWAY_TLS_CERTIFICATE_KEY: tls.key,
    GATEWAY_UPSTREAM_SERVERS_FILE: upstreamServersFile,
    GATEWAY_ACCESS_LOG: accessLog,
    GATEWAY_API_RATE_PER_SECOND: env.GATEWAY_API_RATE_PER_SECOND || '50',
    GATEWAY_API_BURST: env.GATEWAY_API_BURST || '100',
    GATEWAY_AUTH_RATE_PER_MINUTE: env.GATEWAY_AUTH_RATE_PER_MINUTE || '10',
    GATEWAY_AUTH_BURST: env.GATEWAY_AUTH_BURST || '10',
    GATEWAY_CONNECTIONS_PER_ADDRESS: env.GATEWAY_CONNECTIONS_PER_ADDRESS || '100',
    GATEWAY_IPV6_PREFIX_BYTES: env.GATEWAY_IPV6_PREFIX_BYTES || '8',
    GATEWAY_BODY_LIMIT_BYTES: env.HTTP_BODY_LIMIT_BYTES || '1048576',
  };
}

/** nginx, installed with apt when missing and running as root (as for Redis). */
export function ensureNginx() {
  return ensureCommand('nginx', 'nginx');
}

/**
 * The certificate the gateway serves: GATEWAY_TLS_CERTIFICATE/_KEY when set (real ones), else a
 * self-signed one for localhost made once with openssl under the local state directory.
 */
export async function ensureCertificate(env, stateDir) {
  if (env.GATEWAY_TLS_CERTIFICATE || env.GATEWAY_TLS_CERTIFICATE_KEY) {
    if (!env.GATEWAY_TLS_CERTIFICATE || !env.GATEWAY_TLS_CERTIFICATE_KEY)
      throw new Error('set GATEWAY_TLS_CERTIFICATE and GATEWAY_TLS_CERTIFICATE_KEY together');
    return { certificate: env.GATEWAY_TLS_CERTIFICATE, key: env.GATEWAY_TLS_CERTIFICATE_KEY, selfSigned: false };
  }
  const dir = join(stateDir, 'tls');
  const certificate = join(dir, 'localhost.crt');
  const key = join(dir, 'localhost.key');
  if (!existsSync(certificate) || !existsSync(key)) {
    const openssl = await ensureCommand('openssl', 'openssl');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    log(`making a self-signed TLS certificate for localhost in ${dir}...`);
    await run(
      openssl,
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '825',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
        '-keyout',
        key,
        '-out',
        certificate,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  return { certificate, key, selfSigned: true };
}

/**
 * Writes a runnable nginx configuration into `dir`: a main file for a foreground nginx
 * with everything (pid, logs, temp files) inside `dir`, the rendered gateway template,
 * the shared snippets and an upstream of the given `host:port` API instances.
 * Returns the main file's path.
 */
export function writeGatewayConfig(dir, { env, tls, apiInstances }) {
  for (const sub of ['snippets', 'tmp']) mkdirSync(join(dir, sub), { recursive: true });
  for (const file of readdirSync(join(NGINX_DIR, 'snippets'))) cpSync(join(NGINX_DIR, 'snippets', file), join(dir, 'snippets', file));
  const upstreamServersFile = writeUpstreams(dir, apiInstances);
  const settings = gatewaySettings(env, { tls, upstreamServersFile, accessLog: join(dir, 'access.log') });
  writeFileSync(join(dir, 'gateway.conf'), renderTemplate(readFileSync(join(NGINX_DIR, 'templates', 'gateway.conf.template'), 'utf8'), settings));
  const main = join(dir, 'nginx.conf');
  writeFileSync(
    main,
    [
      '# Written by scripts/lib/gateway.mjs for a local run; the policy is docker/nginx/templates.',
      'daemon off;',
      // As root the master binds and reads certificates; workers drop to an unprivileged user.
      ...(isRoot() ? ['user nobody nogroup;'] : []),
      'worker_processes 2;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'error.log')} warn;`,
      'events { worker_connections 4096; }',
      'http {',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(dir, 'tmp', kind)};`),
      '  include gateway.conf;',
      '}',
      '',
    ].join('\n'),
  );
  return { main, settings };
}

/**
 * The upstream servers file, one line per API instance. Passive health: three failed attempts
 * take an instance out for 2 s, after which nginx tries it again; short, so a restarted
 * instance is back in rotation soon after it listens again.
 */
function writeUpstreams(dir, addresses) {
  const file = join(dir, 'upstream.conf');
  writeFileSync(file, addresses.map((address) => `server ${address} max_fails=3 fail_timeout=2s;\n`).join(''));
  return file;
}

/** `nginx -t` for a configuration written by writeGatewayConfig. */
export function testGatewayConfig(nginx, main, dir) {
  return run(nginx, ['-t', '-q', '-p', dir, '-e', join(dir, 'error.log'), '-c', main], { stdio: ['ignore', 'ignore', 'inherit'] });
}
