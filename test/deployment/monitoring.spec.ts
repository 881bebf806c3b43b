import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRICS } from '@app/metrics';
import { itWithTool, runTool } from '@app/testing';

const PROMETHEUS_DIR = join(__dirname, '../../docker/prometheus');
const DASHBOARD = join(__dirname, '../../docker/grafana/dashboards/conduit.json');
/** Families that prom-client's default metrics provide. */
const PROCESS_METRICS = ['process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds'];

/** Every conduit_* / process metric an expression reads, without histogram suffixes. */
function metricsIn(expression: string): string[] {
  return [...expression.matchAll(/\b(conduit_[a-z_]+|process_[a-z_]+|nodejs_[a-z0-9_]+)\b/g)].map((match) => match[1].replace(/_(bucket|count|sum)$/, ''));
}

describe('Prometheus configuration', () => {
  itWithTool('promtool')('is a valid config with valid alert rules', () => {
    const config = runTool('promtool', ['check', 'config', 'prometheus.yml'], PROMETHEUS_DIR);
    expect(config.status).toBe(0);
    const rules = runTool('promtool', ['check', 'rules', 'alerts.yml'], PROMETHEUS_DIR);
    expect(rules.stdout + rules.stderr).toMatch(/SUCCESS: \d+ rules found/);
    expect(rules.status).toBe(0);
  });

  itWithTool('promtool')('fires each alert on the series that should trigger it (promtool test rules)', () => {
    const result = runTool('promtool', ['test', 'rules', 'alerts.test.yml'], PROMETHEUS_DIR);
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('alerts on error rate, p99 latency, queue backlog and failed jobs, and every alert has a test', () => {
    const alerts = readFileSync(join(PROMETHEUS_DIR, 'alerts.yml'), 'utf8');
    const tests = readFileSync(join(PROMETHEUS_DIR, 'alerts.test.yml'), 'utf8');
    const names = [...alerts.matchAll(/- alert: (\w+)/g)].map((match) => match[1]);
    expect(names).toEqual(expect.arrayContaining(['ConduitHighErrorRate', 'ConduitHighLatencyP99', 'ConduitQueueBacklog', 'ConduitJobsFailing']));
    for (const name of names) expect(tests).toContain(`alertname: ${name}`);
  });

  it('reads only metrics the services export, in alerts and in the Grafana dashboard', () => {
    const exported = new Set<string>([...Object.values(METRICS), ...PROCESS_METRICS]);
    const alerts = readFileSync(join(PROMETHEUS_DIR, 'alerts.yml'), 'utf8');
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { targets?: { expr: string }[] }[] };
    const expressions = [alerts, ...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr))];
    const used = new Set(expressions.flatMap(metricsIn));
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
    // the dashboard shows every family the services export
    expect(Object.values(METRICS).filter((name) => !used.has(name))).toEqual([]);
  });
});
