import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { itWithTool, runTool } from '@app/testing';
import { loadConfig } from '@app/config';
import { parse } from 'yaml';

/** Enough of a production environment for loadConfig to judge one more variable. */
const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u:p@db/conduit',
  REDIS_URL: 'redis://redis:6379',
  JWT_SECRET: 'k3J9x!Qm2vR7pL0sT8wZ4nB6yH1cD5fG',
};

const ROOT = join(__dirname, '../..');
const DOCKER = join(ROOT, 'docker');
const template = readFileSync(join(DOCKER, 'nginx/templates/gateway.conf.template'), 'utf8');
const placeholders = [...new Set([...template.matchAll(/\$\{(GATEWAY_[A-Z0-9_]+)\}/g)].map((m) => m[1]))].sort();
const snippet = (name: string) => readFileSync(join(DOCKER, 'nginx/snippets', name), 'utf8');
/** Values docker-compose needs to interpolate compose.yaml (it refuses to run without the secrets). */
const COMPOSE_ENV = { ...process.env, JWT_SECRET: 'x'.repeat(48), POSTGRES_PASSWORD: 'compose-check' };

describe('nginx gateway configuration (docker/nginx)', () => {
  itWithTool('nginx')('renders for a local run and passes nginx -t (npm run gateway:check)', () => {
    const result = runTool(process.execPath, [join(ROOT, 'scripts/check-gateway.mjs')], ROOT);
    expect(result.stderr).not.toMatch(/emerg|\[error\]/);
    expect(result.status).toBe(0);
    const dir = result.stdout.trim().split('\n').pop() ?? '';
    try {
      const rendered = readFileSync(join(dir, 'gateway.conf'), 'utf8');
      expect(rendered).not.toMatch(/\$\{[A-Z_]+\}/);
      expect(readFileSync(join(dir, 'upstream.conf'), 'utf8')).toMatch(/server 127\.0\.0\.1:3000 max_fails=\d+ fail_timeout=\d+s;\nserver 127\.0\.0\.1:3001/);
    } finally {
      // The check leaves what it rendered for inspection (its parent holds the certificate too).
      if (dir.endsWith('conf')) rmSync(dirname(dir), { recursive: true, force: true });
    }
  });

  it('speaks TLS 1.2/1.3 only with HSTS, redirects HTTP, and limits per address with a strict login zone', () => {
    expect(template).toMatch(/ssl_protocols TLSv1\.2 TLSv1\.3;/);
    expect(template).toMatch(/return 308 https:\/\//);
    expect(snippet('security-headers.conf')).toMatch(/Strict-Transport-Security "max-age=\d+/);
    expect(template).toMatch(/limit_req_zone\s+\$conduit_credentials_client zone=conduit_auth:\S+ rate=\$\{GATEWAY_AUTH_RATE_PER_MINUTE\}r\/m/);
    expect(template).toMatch(/location \/api\/ \{\s+#[^\n]*\n\s+limit_req zone=conduit_auth/);
    // no exact-match location that a different spelling of the same route would escape
    expect(template).not.toMatch(/location = \/api/);
    expect(template).toMatch(/limit_conn conduit_conn/);
    // the strict zone's route pattern, as nginx applies it (~*: case-insensitive) to the normalized $uri
    const credentials = new RegExp(/"~\*([^"]+)" \$conduit_client;/.exec(template)![1], 'i');
    for (const path of ['/api/users/login', '/api/users/LOGIN', '/api/users/login/', '/api/Users/Login//', '/api/users', '/api/users/'])
      expect(`${path} ${credentials.test(path)}`).toBe(`${path} true`);
    for (const path of ['/api/user', '/api/users/login/x', '/api/profiles/users']) expect(`${path} ${credentials.test(path)}`).toBe(`${path} false`);
  });

  it('answers its own errors (429, 413, 5xx, 404) in the API error shape', () => {
    const errors = snippet('json-errors.conf');
    for (const status of ['429', '413', '503']) expect(errors).toMatch(new RegExp(`return ${status} '\\{"errors":\\{"body":\\["[^"]+"\\]\\}\\}'`));
    for (const path of ['/metrics', '/admin', '/health']) expect(template).toMatch(new RegExp(`location ${path} +\\{ return 404 '\\{"errors"`));
  });

  it('retries only what nginx may retry, and keeps upstream connections shorter-lived than the API drain', () => {
    const proxy = snippet('proxy-to-api.conf');
    expect(proxy).toMatch(/proxy_next_upstream error timeout;/);
    expect(proxy).not.toMatch(/non_idempotent/);
    const keepalive = Number(/keepalive_timeout (\d+)s;\n\s+keepalive_requests/.exec(template)?.[1]);
    const drainMs = Number(/SHUTDOWN_DRAIN_MS: "(\d+)"/.exec(readFileSync(join(DOCKER, 'compose.yaml'), 'utf8'))?.[1]);
    expect(keepalive * 1000).toBeLessThan(drainMs);
  });
});

describe('Docker Compose topology (docker/compose.yaml)', () => {
  const compose = parse(readFileSync(join(DOCKER, 'compose.yaml'), 'utf8'));

  itWithTool('docker-compose')('is valid for docker-compose config', () => {
    const result = runTool('docker-compose', ['-f', 'compose.yaml', 'config', '--quiet'], DOCKER, COMPOSE_ENV);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('runs the same gateway template with every setting it needs', () => {
    const gateway = compose.services.gateway;
    expect(gateway.volumes).toEqual(expect.arrayContaining(['./nginx/templates:/etc/nginx/templates:ro', './nginx/snippets:/etc/nginx/snippets:ro']));
    expect(
      Object.keys(gateway.environment)
        .filter((key) => key.startsWith('GATEWAY_'))
        .sort(),
    ).toEqual(placeholders);
  });

  it('has the whole topology with healthchecks, replicas and named volumes, and publishes only the gateway', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'gateway', 'grafana', 'migrate', 'pgbouncer', 'postgres', 'prometheus', 'redis', 'worker']);
    expect(String(compose.services.api.deploy.replicas)).toMatch(/API_REPLICAS:-2/);
    for (const name of ['gateway', 'worker', 'postgres', 'redis']) expect(compose.services[name].healthcheck?.test).toBeDefined();
    expect(Object.keys(compose.volumes).sort()).toEqual(['grafana-data', 'postgres-data', 'prometheus-data', 'redis-data']);
    for (const [name, service] of Object.entries<any>(compose.services)) {
      for (const port of service.ports ?? []) if (name !== 'gateway') expect(`${name} ${port}`).toMatch(/ 127\.0\.0\.1:/);
    }
    expect(compose.services.api.ports).toBeUndefined();
  });

  it("trusts forwarding headers from the gateway's fixed address only", () => {
    const address = /^\$\{GATEWAY_ADDRESS:-([\d.]+)\}$/.exec(compose.services.gateway.networks.default.ipv4_address)?.[1];
    expect(address).toBeDefined();
    expect(compose['x-app-environment'].TRUSTED_PROXIES).toBe(`\${GATEWAY_ADDRESS:-${address}}`);
    const subnet = /:-([\d.]+\/\d+)\}$/.exec(compose.networks.default.ipam.config[0].subnet)?.[1];
    expect(subnet).toBeDefined();
    const trusted = loadConfig({ ...PRODUCTION, TRUSTED_PROXIES: address! }).trustedProxies;
    expect(trusted).toEqual([address]);
  });
});

describe('production image (docker/Dockerfile)', () => {
  const dockerfile = readFileSync(join(DOCKER, 'Dockerfile'), 'utf8');

  it('is multi-stage on Node 24 LTS, ships production dependencies only, runs as non-root with a healthcheck', () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const image of stages) expect(image).toMatch(/^node:24[.-]/);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
  });

  it('runs the Node major that the benchmark and the soak test measure (scripts/lib/production-node.mjs)', () => {
    const pinned = /PRODUCTION_NODE_VERSION = '(\d+)\.\d+\.\d+'/.exec(readFileSync(join(ROOT, 'scripts/lib/production-node.mjs'), 'utf8'));
    const majors = new Set([...dockerfile.matchAll(/^FROM node:(\d+)-/gm)].map((m) => m[1]));
    expect([...majors]).toEqual([pinned?.[1]]);
  });
});
