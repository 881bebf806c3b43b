import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@app/config';
import { METRICS } from '@app/metrics';
import { itWithTool, runTool } from '@app/testing';
import { build, K8sObject, named } from './support/kustomize';

const ROOT = join(__dirname, '../..');
const VALIDATOR = join(__dirname, 'support/validate-kubernetes.mjs');

/** Schema errors per object, from the Kubernetes OpenAPI schemas bundled in kubernetes-models (offline). */
function schemaErrors(yaml: string): { kind: string; name: string; errors: string[] }[] {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-'));
  try {
    const file = join(dir, 'manifest.yaml');
    writeFileSync(file, yaml);
    const result = runTool(process.execPath, [VALIDATOR, file], ROOT);
    if (result.status !== 0) throw new Error(result.stderr);
    return JSON.parse(result.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const itWithKubectl = itWithTool('kubectl');

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  for (const kustomization of ['base', 'overlays/production']) {
    itWithKubectl(`${kustomization} builds and every object matches the Kubernetes schemas`, () => {
      const { yaml, objects } = build(kustomization);
      expect(objects.length).toBeGreaterThan(10);
      expect(schemaErrors(yaml).filter((o) => o.errors.length > 0)).toEqual([]);
    });
  }

  itWithKubectl('the schema check rejects a broken object (so the check above can fail)', () => {
    const broken = build('base').yaml.replace('containerPort: 3000', 'containerPort: three-thousand');
    expect(schemaErrors(broken).find((o) => o.kind === 'Deployment' && o.errors.length > 0)?.errors[0]).toMatch(/containerPort must be integer/);
  });

  itWithKubectl("checks CloudNativePG's kinds against the operator's own schemas, and rejects a broken one", () => {
    const { yaml, objects } = build('overlays/production');
    const cluster = named(objects, 'Cluster', 'conduit-db')!;
    expect(cluster.spec).toMatchObject({ instances: 3, postgresql: { synchronous: { method: 'any', number: 1 } } });
    expect(named(objects, 'Pooler', 'conduit-db-pooler-rw')!.spec).toMatchObject({
      cluster: { name: 'conduit-db' },
      type: 'rw',
      pgbouncer: { poolMode: 'transaction' },
    });
    expect(named(objects, 'Deployment', 'conduit-pgbouncer')).toBeUndefined(); // the Pooler replaces base's PgBouncer
    const broken = yaml.replace('poolMode: transaction', 'poolMode: statementwise');
    expect(schemaErrors(broken).find((o) => o.kind === 'Pooler')?.errors).toEqual(['/spec/pgbouncer/poolMode must be equal to one of the allowed values']);
  });

  itWithKubectl('runs api and worker with probes on their health endpoints, limits, and no privileges', () => {
    const { objects } = build('base');
    const probes: Record<string, string[]> = { 'conduit-api': ['/health/ready', '/health/live'], 'conduit-worker': ['/health', '/health'] };
    for (const [name, [readiness, liveness]] of Object.entries(probes)) {
      const deployment = named(objects, 'Deployment', name)!;
      const pod = deployment.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.initContainers.map((c: any) => c.command.join(' '))).toEqual([expect.stringContaining('wait-for-migrations')]);
      for (const container of [...pod.containers, ...pod.initContainers]) {
        expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        expect(container.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      }
      const [main] = pod.containers;
      expect(main.readinessProbe.httpGet.path).toBe(readiness);
      expect(main.livenessProbe.httpGet.path).toBe(liveness);
      expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    }
  });

  itWithKubectl('scales and protects both deployments, and wires services and ingress to real targets', () => {
    const { objects } = build('base');
    const podLabels = (name: string) => named(objects, 'Deployment', name)!.spec.template.metadata.labels;
    for (const name of ['conduit-api', 'conduit-worker']) {
      expect(byKind(objects, 'HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef.name === name)).toBeDefined();
      const pdb = byKind(objects, 'PodDisruptionBudget').find((p) => p.metadata.name === name)!;
      expect(podLabels(name)).toMatchObject(pdb.spec.selector.matchLabels);
    }
    for (const service of byKind(objects, 'Service')) {
      const target = byKind(objects, 'Deployment').find((d) =>
        Object.entries(service.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
      );
      expect(target).toBeDefined();
    }
    const ingresses = byKind(objects, 'Ingress');
    expect(ingresses.map((i) => i.spec.ingressClassName)).toEqual(['nginx', 'nginx']);
    for (const ingress of ingresses) {
      expect(ingress.spec.tls[0].secretName).toBeDefined();
      for (const path of ingress.spec.rules[0].http.paths) {
        expect(path.path).toMatch(/^\/(api|docs)/);
        expect(named(objects, 'Service', path.backend.service.name)).toBeDefined();
      }
    }
    const auth = named(objects, 'Ingress', 'conduit-api-auth')!;
    expect(auth.metadata).toMatchObject({ annotations: { 'nginx.ingress.kubernetes.io/limit-rpm': expect.any(String) } });
    expect(named(objects, 'Job', 'conduit-migrate')!.spec.template.spec.containers[0].command).toContain('migrate');
  });

  itWithKubectl('production: own namespace, released image, worker scaled on queue depth, no placeholder secret', () => {
    const { objects } = build('overlays/production');
    expect(objects.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata.namespace === 'conduit')).toBe(true);
    for (const deployment of byKind(objects, 'Deployment')) expect(deployment.spec.template.spec.containers[0].image).toMatch(/:\d+\.\d+\.\d+$/);
    const worker = named(objects, 'HorizontalPodAutoscaler', 'conduit-worker')!;
    expect(worker.spec.metrics.find((m: any) => m.type === 'External').external.metric.name).toBe(METRICS.queueJobs);
    expect(byKind(objects, 'Secret')).toEqual([]);
    expect(named(objects, 'ConfigMap', 'conduit-config')!.data).toMatchObject({ NODE_ENV: 'production', TRUSTED_PROXIES: expect.any(String) });
  });

  for (const kustomization of ['base', 'overlays/production']) {
    itWithKubectl(`${kustomization}: trusts only the ingress controller's own addresses, which production config accepts`, () => {
      const { TRUSTED_PROXIES } = named(build(kustomization).objects, 'ConfigMap', 'conduit-config')!.data;
      const production = {
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://u:p@db/conduit',
        REDIS_URL: 'redis://redis:6379',
        JWT_SECRET: 'k3J9x!Qm2vR7pL0sT8wZ4nB6yH1cD5fG',
      };
      expect(loadConfig({ ...production, TRUSTED_PROXIES }).trustedProxies.length).toBeGreaterThan(0);
      expect(TRUSTED_PROXIES).not.toMatch(/uniquelocal|linklocal/);
    });
  }

  itWithKubectl('applies the strict login limit to every spelling of login and registration', () => {
    const auth = named(build('base').objects, 'Ingress', 'conduit-api-auth')! as K8sObject & { metadata: { annotations: Record<string, string> } };
    expect(auth.metadata.annotations['nginx.ingress.kubernetes.io/use-regex']).toBe('true');
    const paths = auth.spec.rules[0].http.paths.map((entry: { path: string }) => entry.path);
    expect(paths).toHaveLength(1);
    // ingress-nginx writes regex paths as case-insensitive locations (~*) anchored at the start
    const pattern = new RegExp(`^${paths[0]}`, 'i');
    for (const path of ['/api/users/login', '/api/users/LOGIN', '/api/users/login/', '/api/Users/Login//', '/api/users', '/api/users/'])
      expect(`${path} ${pattern.test(path)}`).toBe(`${path} true`);
    for (const path of ['/api/user', '/api/users/login/x', '/api/userss']) expect(`${path} ${pattern.test(path)}`).toBe(`${path} false`);
  });
});
