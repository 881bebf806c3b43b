import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { itWithTool } from '@app/testing';
import { parse } from 'yaml';
import { build, K8sObject, named } from './support/kustomize';

/**
 * The connection budget (docs/scaling.md): the connections PostgreSQL serves at the most every
 * autoscaler allows, against its max_connections less the superuser reserve and headroom for
 * operators and monitoring. Behind a transaction pooler the API and worker pods count only
 * towards the pooler's clients; PostgreSQL sees the pooler's server pools and the migrator.
 */
const HEADROOM = 10;
/** The migrator's pool (directDataSourceOptions): the lock's connection and the migrations'. */
const MIGRATOR = 2;
/** PostgreSQL's defaults, where a deployment leaves them (base: an external server). */
const DEFAULT_MAX_CONNECTIONS = 100;
const DEFAULT_RESERVED = 3;
/** Clients per PgBouncer where its configuration leaves max_client_conn (docker/pgbouncer/entrypoint.sh). */
const PGBOUNCER_MAX_CLIENT_CONN = 2000;

interface Topology {
  maxConnections: number;
  reserved: number;
  /** Server connections by who holds them. */
  server: Record<string, number>;
  /** Client connections of the pods, at the most. */
  clients: number;
  /** What the pooler accepts from clients (Infinity without one: then clients are server connections). */
  clientCapacity: number;
}

function budget(topology: Topology) {
  const used = Object.values(topology.server).reduce((sum, n) => sum + n, 0);
  const available = topology.maxConnections - topology.reserved - HEADROOM;
  return { used, available, fits: used <= available && topology.clients <= topology.clientCapacity };
}

/** `${NAME:-default}` in compose.yaml: its default. */
const composeDefault = (value: unknown) => Number(/:-(\d+)\}/.exec(String(value))?.[1] ?? value);

function composeTopology(): Topology {
  const compose = parse(readFileSync(join(__dirname, '../../docker/compose.yaml'), 'utf8'));
  const env = compose['x-app-environment'];
  const poolSize = composeDefault(env.DATABASE_POOL_SIZE ?? 10);
  const apiWorkers = composeDefault(env.API_WORKERS ?? 1);
  const api = composeDefault(compose.services.api.deploy.replicas);
  const worker = composeDefault(compose.services.worker.deploy.replicas);
  const clients = api * apiWorkers * poolSize + worker * poolSize;
  const postgresArgs = String(compose.services.postgres.command ?? '');
  const maxConnections = Number(/max_connections=(\d+)/.exec(postgresArgs)?.[1] ?? DEFAULT_MAX_CONNECTIONS);
  const pooled = String(env.DATABASE_URL).includes('@pgbouncer:') && env.DATABASE_POOLING === 'transaction';
  const server: Record<string, number> = pooled
    ? { pgbouncer: composeDefault(compose.services.pgbouncer.environment.PGBOUNCER_DEFAULT_POOL_SIZE), migrator: MIGRATOR }
    : { pods: clients, migrator: MIGRATOR };
  return { maxConnections, reserved: DEFAULT_RESERVED, server, clients, clientCapacity: pooled ? PGBOUNCER_MAX_CLIENT_CONN : Infinity };
}

/** Pods of a Deployment at its autoscaler's maximum, plus its rolling update's surge. */
function maxPods(objects: K8sObject[], deployment: string): number {
  const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === deployment)!;
  return hpa.spec.maxReplicas + Number(named(objects, 'Deployment', deployment)!.spec.strategy.rollingUpdate.maxSurge);
}

function kubernetesTopology(objects: K8sObject[], { withoutPooler = false } = {}): Topology {
  const config = named(objects, 'ConfigMap', 'conduit-config')!.data;
  const poolSize = Number(config.DATABASE_POOL_SIZE);
  const clients = maxPods(objects, 'conduit-api') * Number(config.API_WORKERS) * poolSize + maxPods(objects, 'conduit-worker') * poolSize;
  const cluster = objects.find((o) => o.kind === 'Cluster');
  const parameters = cluster?.spec.postgresql?.parameters ?? {};
  const maxConnections = Number(parameters.max_connections ?? DEFAULT_MAX_CONNECTIONS);
  const reserved = Number(parameters.superuser_reserved_connections ?? DEFAULT_RESERVED);
  const cnpgPooler = objects.find((o) => o.kind === 'Pooler');
  const pgbouncer = named(objects, 'Deployment', 'conduit-pgbouncer');
  const pooled = !withoutPooler && config.DATABASE_POOLING === 'transaction' && (cnpgPooler ?? pgbouncer) !== undefined;
  if (!pooled) return { maxConnections, reserved, server: { pods: clients, migrator: MIGRATOR }, clients, clientCapacity: Infinity };
  const server: Record<string, number> = cnpgPooler
    ? { pooler: cnpgPooler.spec.instances * Number(cnpgPooler.spec.pgbouncer.parameters.default_pool_size) }
    : { pgbouncer: pgbouncer!.spec.replicas * Number(named(objects, 'ConfigMap', 'conduit-pgbouncer')!.data.PGBOUNCER_DEFAULT_POOL_SIZE) };
  const clientCapacity = cnpgPooler
    ? cnpgPooler.spec.instances * Number(cnpgPooler.spec.pgbouncer.parameters.max_client_conn)
    : pgbouncer!.spec.replicas * PGBOUNCER_MAX_CLIENT_CONN;
  return { maxConnections, reserved, server: { ...server, migrator: MIGRATOR }, clients, clientCapacity };
}

describe('the connection budget (docs/scaling.md)', () => {
  it('holds for Docker Compose: PgBouncer keeps PostgreSQL below its limit at any replica count', () => {
    const topology = composeTopology();
    expect(topology.server).toEqual({ pgbouncer: 40, migrator: 2 });
    expect(budget(topology)).toMatchObject({ fits: true, available: 87 });
  });

  for (const kustomization of ['base', 'overlays/production']) {
    itWithTool('kubectl')(`holds for ${kustomization} at every autoscaler's maximum`, () => {
      const topology = kubernetesTopology(build(kustomization).objects);
      const result = budget(topology);
      expect({ ...result, server: topology.server }).toMatchObject({ fits: true });
      expect(topology.clients).toBeGreaterThan(result.used); // the pooler is what makes it fit
    });
  }

  itWithTool('kubectl')('fails when the production pods would connect to PostgreSQL directly (so the check can fail)', () => {
    const topology = kubernetesTopology(build('overlays/production').objects, { withoutPooler: true });
    // 21 API pods x 1 process x 20 + 13 worker pods x 20, against 200 - 3 - 10.
    expect(budget(topology)).toEqual({ used: 682, available: 187, fits: false });
  });
});
