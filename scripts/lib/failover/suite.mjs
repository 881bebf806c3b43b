import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { log, warn } from '../log.mjs';
import { PROJECT_DIR } from '../paths.mjs';
import { sleep, waitUntil } from '../processes.cjs';
import { inNamespace } from '../cluster/network.mjs';
import { PATRONI_TIMING, PORTS, SENTINEL_DOWN_AFTER_MS } from '../cluster/node-stack.mjs';
import { byStatus, GatewayClient, MixedLoad, register, writeGapSeconds } from './load.mjs';
import { verifyEvents, verifyWrites } from './verify.mjs';

/** Writes must succeed again within this long after a fault (the issue's target; docs/scaling.md). */
export const RECOVERY_TARGET_SECONDS = 30;
/** The alerts for the outages a fault causes (docker/prometheus/alerts.yml). */
const OUTAGE_ALERTS = ['ConduitDatabaseUnreachable', 'ConduitRedisUnreachable'];
const PROBE_SCRIPT = join(PROJECT_DIR, 'scripts/lib/failover/partition-probe.mjs');

/** The checks of a run, each passed or failed with what was seen. */
class Checks {
  constructor() {
    this.results = [];
  }

  check(scenario, name, ok, seen) {
    this.results.push({ scenario, name, ok: Boolean(ok), seen });
    (ok ? log : warn)(
      `${ok ? 'ok  ' : 'FAIL'} ${scenario}: ${name}${seen === undefined ? '' : ` (${typeof seen === 'string' ? seen : JSON.stringify(seen)})`}`,
    );
  }

  get passed() {
    return this.results.filter((result) => result.ok).length;
  }

  get failed() {
    return this.results.filter((result) => !result.ok).length;
  }
}

/**
 * The failover suite on a running cluster: three scenarios under a bounded mixed load through
 * the gateway, each checked for recovery time, answers, lost writes, lost or doubled events,
 * writes an old primary accepted after it was cut off, and the node's return as a standby; the
 * outage alerts are followed in Prometheus. Returns the checks and the figures of each scenario.
 */
export async function runFailoverSuite(cluster) {
  const checks = new Checks();
  const client = new GatewayClient(cluster.gateway.url, cluster.gateway.ca);
  const suffix = Date.now().toString(36);
  const writers = [];
  const readers = [];
  for (let i = 0; i < 3; i++) writers.push(await register(client, `writer${i}${suffix}`));
  for (let i = 0; i < 4; i++) readers.push(await register(client, `reader${i}${suffix}`));
  // Every reader follows every writer: an article notifies four users, through the worker.
  for (const reader of readers) {
    for (const writer of writers) {
      const answer = await client.send('POST', `/api/profiles/${writer.username}/follow`, { token: reader.token });
      if (answer.status !== 200) throw new Error(`follow: ${answer.status}`);
    }
  }
  const figures = [];
  const scenarios = [
    { name: 'kill the node of the PostgreSQL primary and the Redis master', run: (load) => killPrimaryNode(cluster, load) },
    { name: 'partition the node of the PostgreSQL primary, then heal it', run: (load) => partitionPrimaryNode(cluster, load, client) },
    { name: 'switch the primary over (Patroni) during writes', run: (load) => switchover(cluster, load) },
  ];
  // CONDUIT_FAILOVER_ONLY=partition: the scenarios whose name has that text (to chase one).
  const only = process.env.CONDUIT_FAILOVER_ONLY;
  try {
    for (const scenario of scenarios.filter((each) => !only || each.name.includes(only))) {
      log(`failover scenario: ${scenario.name}`);
      // Each begins with the whole cluster: every member running, a synchronous standby, Redis replicas online.
      await cluster.waitForMembers(cluster.nodes.length, 120_000);
      await cluster.waitForRedis(60_000);
      const load = new MixedLoad(client, { writers, readers });
      load.start();
      await sleep(3000);
      let outcome;
      try {
        outcome = await scenario.run(load);
      } catch (error) {
        checks.check(scenario.name, 'the scenario runs to its end', false, error instanceof Error ? error.message : String(error));
        continue;
      } finally {
        await sleep(3000);
        await load.stop();
      }
      figures.push(await judge(cluster, checks, scenario.name, load, outcome));
    }
  } finally {
    client.close();
  }
  return { checks, figures };
}

/** Follows Prometheus's firing alerts every second until `stop()`; answers the names seen. */
function watchAlerts(cluster) {
  const seen = new Set();
  let running = true;
  const done = (async () => {
    while (running) {
      for (const alert of await cluster.firingAlerts().catch(() => [])) seen.add(alert.labels.alertname);
      await sleep(1000);
    }
  })();
  return {
    seen,
    stop: async () => {
      running = false;
      await done;
      return [...seen];
    },
  };
}

async function killPrimaryNode(cluster, load) {
  let primary = await cluster.primary();
  const redisMaster = await cluster.redisMaster();
  // One node holding both (as at the start): move the primary to the Redis master's node when they differ.
  if (primary !== redisMaster) {
    await cluster.switchover(primary, redisMaster);
    await waitUntil(async () => (await cluster.primary()) === redisMaster, { what: 'the switchover to the Redis master node', timeoutMs: 60_000 });
    await cluster.waitForMembers(cluster.nodes.length);
    primary = redisMaster;
  }
  const alerts = watchAlerts(cluster);
  const faultAt = Date.now();
  await cluster.killNode(primary.name);
  log(`killed ${primary.name} (PostgreSQL primary, Redis master)`);
  await waitForWrites(load, faultAt);
  const recoveredAt = Date.now();
  await sleep(3000);
  await cluster.restartNode(primary.name);
  await primary.appsReady(120_000);
  return { faultAt, recoveredAt, node: primary, alerts };
}

async function partitionPrimaryNode(cluster, load, client) {
  const primary = await cluster.primary();
  // A client on the cut-off side keeps writing to that node's own API: what its old primary accepts there after the cut is a lost write.
  const probeUser = await register(client, `probe${Date.now().toString(36)}`);
  const faultAt = Date.now();
  cluster.partition(primary.name);
  log(`partitioned ${primary.name} (PostgreSQL primary)`);
  const probe = probeWrites(primary, probeUser.token, 40_000);
  await waitForWrites(load, faultAt);
  const recoveredAt = Date.now();
  // Longer than Patroni's TTL and Sentinel's down-after: the cut-off side has given up by now.
  const cutFor = Math.max(PATRONI_TIMING.ttl * 1000, SENTINEL_DOWN_AFTER_MS) + 15_000;
  await sleep(Math.max(0, faultAt + cutFor - Date.now()));
  const probed = await probe;
  cluster.heal(primary.name);
  log(`healed ${primary.name}`);
  return { faultAt, recoveredAt, node: primary, probed };
}

async function switchover(cluster, load) {
  const primary = await cluster.primary();
  // To the synchronous standby (in synchronous mode Patroni accepts no other): it has every committed transaction.
  const target = await waitUntil(async () => cluster.node((await cluster.members()).find((member) => member.role === 'sync_standby')?.name), {
    what: 'a synchronous standby to switch over to',
    timeoutMs: 30_000,
  });
  const faultAt = Date.now();
  await cluster.switchover(primary, target);
  log(`switchover ${primary.name} -> ${target.name}`);
  await waitUntil(async () => (await cluster.primary()) === target, { what: `${target.name} to lead`, timeoutMs: 60_000 });
  await waitForWrites(load, faultAt);
  return { faultAt, recoveredAt: Date.now(), node: primary };
}

/** Resolves once a write has succeeded after `since` (or after the recovery target has passed). */
async function waitForWrites(load, since) {
  await waitUntil(() => load.log.some((entry) => entry.op !== 'read' && entry.at > since + 500 && typeof entry.status === 'number' && entry.status < 300), {
    what: 'writes to succeed again',
    timeoutMs: (RECOVERY_TARGET_SECONDS + 30) * 1000,
  }).catch(() => undefined);
}

/**
 * Writes to `node`'s own API from inside its namespace for `durationMs` (partition-probe.mjs);
 * answers each attempt's status and, for a 2xx, the slug it was given.
 */
function probeWrites(node, token, durationMs) {
  const { command, args } = inNamespace(node.namespace, process.execPath, [PROBE_SCRIPT, `http://127.0.0.1:${PORTS.api}`, token, String(durationMs)]);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', () =>
      resolve(
        out
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line)),
      ),
    );
  });
}

/** Waits for the cluster to be whole again, then checks and records one scenario. */
async function judge(cluster, checks, scenario, load, outcome) {
  const { faultAt, node } = outcome;
  const entries = load.between(faultAt - 3000);
  const gap = writeGapSeconds(entries, faultAt);
  const statuses = byStatus(entries);
  const badAnswers = entries.filter(
    (entry) => typeof entry.status !== 'number' || (entry.status >= 500 && !(entry.status === 503 && entry.retryAfter !== undefined)),
  );

  // The node back as a standby by itself; then everything it missed relayed and notified.
  const rejoined = await cluster
    .waitForMembers(cluster.nodes.length, 120_000)
    .then(async () => {
      const member = (await cluster.members()).find((each) => each.name === node.name);
      return member && member.role !== 'leader' && ['running', 'streaming'].includes(member.state) ? member.role : false;
    })
    .catch(() => false);
  await cluster.waitForRedis(60_000).catch(() => undefined);
  const primary = await cluster.primary();
  const url = `postgres://${cluster.secrets.appUser}:${cluster.secrets.appPassword}@${primary.address}:${PORTS.postgres}/conduit`;
  await waitUntil(async () => (await verifyEvents(url)).unrelayed === 0, { what: 'the outbox to be relayed', timeoutMs: 90_000 }).catch(() => undefined);
  let events = await verifyEvents(url);
  await waitUntil(async () => (events = await verifyEvents(url)).missing === 0, { what: 'every event notified', timeoutMs: 60_000 }).catch(() => undefined);
  const writes = await verifyWrites(url, load.acknowledged);
  const alerts = outcome.alerts ? await waitForAlertsToResolve(cluster, outcome.alerts) : undefined;
  const claimingPrimary = await cluster.nodesAnsweringPrimary();

  checks.check(scenario, `writes succeed again within ${RECOVERY_TARGET_SECONDS} s`, gap <= RECOVERY_TARGET_SECONDS, `${gap} s`);
  checks.check(scenario, 'no 5xx but 503 with Retry-After, every request answered', badAnswers.length === 0, statuses);
  checks.check(scenario, 'no acknowledged write lost', writes.lostWrites === 0, writes.lost);
  checks.check(scenario, 'no event lost, none doubled, all relayed', events.missing === 0 && events.duplicated === 0 && events.unrelayed === 0, events);
  checks.check(scenario, `${node.name} rejoins as a standby by itself`, Boolean(rejoined), rejoined || 'not a running standby');
  checks.check(
    scenario,
    'exactly one node is primary',
    claimingPrimary.length === 1,
    claimingPrimary.map((each) => each.name),
  );
  let acceptedByOldPrimary;
  if (outcome.probed) {
    acceptedByOldPrimary = outcome.probed.filter((attempt) => attempt.status >= 200 && attempt.status < 300).length;
    checks.check(scenario, 'the cut-off old primary accepted no write', acceptedByOldPrimary === 0, byStatus(outcome.probed));
  }
  if (alerts) {
    for (const name of OUTAGE_ALERTS)
      checks.check(scenario, `${name} fires during the fault and resolves after it`, alerts.fired.includes(name) && alerts.resolved, alerts);
  }
  if (checks.results.some((result) => result.scenario === scenario && !result.ok)) {
    // What Patroni decided, node by node, since the fault: the story of a failed scenario.
    for (const each of cluster.nodes) {
      const decisions = each
        .logTail('patroni', 5000)
        .split('\n')
        .filter((line) => /^\d{4}-/.test(line) && !/no action|Lock owner|following a different leader|does not have lock/.test(line))
        .filter((line) => Date.parse(line.slice(0, 23).replace(' ', 'T').replace(',', '.') + 'Z') >= faultAt - 2000);
      warn(`${each.name} patroni since the fault:\n${decisions.slice(-40).join('\n')}`);
    }
    warn(`members: ${JSON.stringify(await cluster.members())}`);
    cluster.keepLogs(`failover-${Date.now()}`);
  }
  return {
    scenario,
    recoverySeconds: gap,
    requests: entries.length,
    requestsByStatus: statuses,
    acknowledged: { articles: load.acknowledged.articles.length, favorites: load.acknowledged.favorites.length, comments: load.acknowledged.comments.length },
    lostWrites: writes.lostWrites,
    lostEvents: events.missing,
    duplicatedEvents: events.duplicated,
    acceptedByOldPrimary,
    rejoinedAs: rejoined || null,
    alerts,
  };
}

async function waitForAlertsToResolve(cluster, watch) {
  const fired = await watch.stop();
  const resolved = await waitUntil(async () => (await cluster.firingAlerts()).every((alert) => !OUTAGE_ALERTS.includes(alert.labels.alertname)), {
    what: 'the outage alerts to resolve',
    timeoutMs: 90_000,
  }).then(
    () => true,
    () => false,
  );
  return { fired: fired.filter((name) => OUTAGE_ALERTS.includes(name)), resolved };
}

/** bench/results/failover.{json,md}. */
export function writeFailoverResults(figures, facts) {
  const dir = join(PROJECT_DIR, 'bench', 'results');
  writeFileSync(join(dir, 'failover.json'), `${JSON.stringify({ ...facts, scenarios: figures }, null, 2)}\n`);
  const rows = figures.map((figure) =>
    [
      figure.scenario,
      figure.recoverySeconds,
      Object.entries(figure.requestsByStatus)
        .map(([status, count]) => `${status}: ${count}`)
        .join(', '),
      figure.lostWrites,
      `${figure.lostEvents} / ${figure.duplicatedEvents}`,
      figure.acceptedByOldPrimary ?? '-',
      figure.rejoinedAs ?? 'no',
      figure.alerts ? `${figure.alerts.fired.join(', ') || 'none'}${figure.alerts.resolved ? ', resolved' : ', NOT resolved'}` : '-',
    ].join(' | '),
  );
  const text = [
    '# Failover suite',
    '',
    `- command: \`${facts.command}\``,
    `- when: ${facts.when}`,
    `- machine: ${facts.machine}`,
    `- topology: ${facts.topology}`,
    `- timing: ${facts.timing}`,
    `- load: ${facts.load}`,
    '',
    '| scenario | writes stopped (s) | requests by status | acknowledged writes lost | events lost / doubled | writes accepted by the cut-off old primary | node rejoined as | outage alerts |',
    '|---|---:|---|---:|---:|---:|---|---|',
    ...rows.map((row) => `| ${row} |`),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'failover.md'), text);
}
