#!/usr/bin/env node
/**
 * `npm run soak -- [--minutes 10] [--rate 150] [--size small] [--api-workers 2] [--max-growth-mib 40] [--node production|system]`
 *
 * Mixed load (the benchmark's endpoints, 85% reads / 15% writes) at a steady
 * rate against the production profile for the given time, sampling the
 * resident memory of the API (all its cluster processes), the worker,
 * PostgreSQL and Redis every few seconds. Passes when no request failed and
 * the memory of the API and the worker shows no growth trend: the highest RSS of
 * the last third of the run (after the warm-up) exceeds the highest of the first
 * third by less than --max-growth-mib.
 *
 * Why peaks and not a fitted line: a garbage-collected heap grows until a major
 * collection and then drops (in this API by ~250 MiB every 2-3 minutes, the
 * cache's expired entries), and over a few such cycles a least-squares slope
 * mostly says where in a cycle the run started and ended. V8 lets the heap grow
 * to a multiple of what survived the last collection, so the peaks rise with
 * what is really retained: a leak lifts them, a sawtooth does not. The slope is
 * still reported. Writes bench/results/soak.{json,md}; exits 1 on failure.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDependencies } from '../scripts/lib/dependencies.mjs';
import { log, warn } from '../scripts/lib/log.mjs';
import { PROJECT_DIR } from '../scripts/lib/paths.mjs';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '150' },
    size: { type: 'string', default: 'small' },
    'api-workers': { type: 'string', default: '2' },
    'warmup-seconds': { type: 'string', default: '60' },
    'sample-seconds': { type: 'string', default: '5' },
    'max-growth-mib': { type: 'string', default: '40' },
    node: { type: 'string', default: 'production' },
  },
});
const durationSeconds = Math.round(Number(values.minutes) * 60);
const warmupSeconds = Number(values['warmup-seconds']);
const rate = Number(values.rate);
const maxGrowthMiB = Number(values['max-growth-mib']);

await ensureDependencies();
const { default: autocannon } = await import('autocannon');
const { benchEnvironment, machineFacts, rssMiB, runtimeFor, scenariosFor, startProductionSystem } = await import('./lib/system.mjs');

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  const mean = (f) => points.reduce((sum, p) => sum + f(p), 0) / n;
  const [mx, my] = [mean((p) => p.x), mean((p) => p.y)];
  const sxx = points.reduce((sum, p) => sum + (p.x - mx) ** 2, 0);
  return sxx === 0 ? 0 : points.reduce((sum, p) => sum + (p.x - mx) * (p.y - my), 0) / sxx;
}

/** Pids of every process running this program (PostgreSQL's backends, redis-server), summed. */
function pidsOf(program) {
  try {
    return execFileSync('pgrep', ['-x', program], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
const totalRss = (pids) => pids.reduce((sum, pid) => sum + (rssMiB(pid) ?? 0), 0);

const node = runtimeFor(values.node);
const { services, children, stopAll } = await benchEnvironment();

let passed = false;
try {
  const system = await startProductionSystem({ services, size: values.size, apiWorkers: values['api-workers'], children, node });
  const mix = scenariosFor(system);
  // 85% reads spread over the read endpoints, 15% writes (login, article, favorite, comment).
  const reads = mix.filter((s) => s.kind === 'read');
  const writes = mix.filter((s) => s.kind === 'write');
  const schedule = [...Array.from({ length: 17 }, (_, i) => reads[i % reads.length]), ...Array.from({ length: 3 }, (_, i) => writes[i % writes.length])];
  let turn = 0;
  const request = {
    setupRequest: (req) => {
      const scenario = schedule[turn++ % schedule.length].request;
      const plain = { ...req, method: scenario.method, path: scenario.path, headers: scenario.headers ?? {}, body: scenario.body };
      return scenario.setupRequest ? scenario.setupRequest(plain) : plain;
    },
  };

  const samples = [];
  const started = Date.now();
  const sample = () =>
    samples.push({
      seconds: Math.round((Date.now() - started) / 1000),
      api: rssMiB(system.api.pid),
      worker: rssMiB(system.worker.pid),
      postgres: Math.round(totalRss(pidsOf('postgres'))),
      redis: Math.round(totalRss(pidsOf('redis-server'))),
    });
  sample();
  const sampler = setInterval(sample, Number(values['sample-seconds']) * 1000);
  const progress = setInterval(() => {
    const last = samples.at(-1);
    log(`soak ${Math.round((Date.now() - started) / 1000)}/${durationSeconds} s: RSS api ${last.api} MiB, worker ${last.worker} MiB`);
  }, 60_000);
  log(`soak: ${rate} req/s for ${durationSeconds} s (${warmupSeconds} s warm-up excluded from the trend)`);
  const result = await autocannon({ url: system.base, connections: 16, overallRate: rate, duration: durationSeconds, requests: [request] });
  clearInterval(sampler);
  clearInterval(progress);
  sample();

  const steady = samples.filter((s) => s.seconds >= warmupSeconds);
  const measured = durationSeconds - warmupSeconds;
  const trend = Object.fromEntries(
    ['api', 'worker', 'postgres', 'redis'].map((name) => {
      const points = steady.map((s) => ({ x: s.seconds, y: s[name] }));
      const perMinute = slope(points) * 60;
      const ys = points.map((p) => p.y);
      const third = (index) =>
        points.filter((p) => p.x >= warmupSeconds + (index * measured) / 3 && p.x <= warmupSeconds + ((index + 1) * measured) / 3).map((p) => p.y);
      const [firstPeak, lastPeak] = [Math.max(...third(0)), Math.max(...third(2))];
      return [
        name,
        {
          startMiB: ys[0],
          endMiB: ys.at(-1),
          minMiB: Math.min(...ys),
          maxMiB: Math.max(...ys),
          firstThirdPeakMiB: firstPeak,
          lastThirdPeakMiB: lastPeak,
          peakGrowthMiB: lastPeak - firstPeak,
          slopeMiBPerMinute: Number(perMinute.toFixed(2)),
        },
      ];
    }),
  );
  const errors = result.errors + result.timeouts;
  const checks = {
    noErrors: errors === 0 && result.non2xx === 0,
    apiFlat: trend.api.peakGrowthMiB < maxGrowthMiB,
    workerFlat: trend.worker.peakGrowthMiB < maxGrowthMiB,
  };
  passed = Object.values(checks).every(Boolean);
  const report = {
    command: `npm run soak -- --minutes ${values.minutes} --rate ${rate} --size ${values.size} --api-workers ${values['api-workers']} --max-growth-mib ${maxGrowthMiB}${values.node !== 'production' ? ` --node ${values.node}` : ''}`,
    startedAt: new Date(started).toISOString(),
    machine: machineFacts(node),
    dataset: { size: values.size, ...system.facts.counts },
    load: {
      targetRate: rate,
      achievedRate: Math.round(result.requests.average),
      total: result.requests.total,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors,
      non2xx: result.non2xx,
    },
    trend,
    checks,
    passed,
    samples,
  };
  const table = [
    '| process | start MiB | end MiB | min | max | peak, first third | peak, last third | peak growth MiB | fitted slope MiB/min |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ]
    .concat(
      Object.entries(trend).map(
        ([name, t]) =>
          `| ${name} | ${t.startMiB} | ${t.endMiB} | ${t.minMiB} | ${t.maxMiB} | ${t.firstThirdPeakMiB} | ${t.lastThirdPeakMiB} | ${t.peakGrowthMiB} | ${t.slopeMiBPerMinute} |`,
      ),
    )
    .join('\n');
  const markdown = [
    `# Soak (${report.startedAt})`,
    '',
    `- command: \`${report.command}\``,
    `- machine: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB, ${report.machine.os}, Node ${report.machine.node}`,
    `- load: ${report.load.achievedRate} req/s achieved of ${rate} targeted, ${report.load.total} requests, p50 ${report.load.p50Ms} ms, p99 ${report.load.p99Ms} ms, errors ${errors}, non-2xx ${result.non2xx}`,
    `- verdict: ${passed ? 'PASSED' : 'FAILED'} (${Object.entries(checks)
      .map(([k, v]) => `${k} ${v ? 'ok' : 'FAILED'}`)
      .join(
        ', ',
      )}; the API's and the worker's highest RSS in the last third of the ${measured} s after warm-up at most ${maxGrowthMiB} MiB above the highest in the first third)`,
    '',
    table,
    '',
  ].join('\n');
  writeFileSync(join(PROJECT_DIR, 'bench/results/soak.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(PROJECT_DIR, 'bench/results/soak.md'), markdown);
  console.log(`\n${markdown}`);
  await system.cleanUp();
} catch (error) {
  warn(error instanceof Error ? (error.stack ?? error.message) : String(error));
} finally {
  await stopAll();
}
process.exit(passed ? 0 : 1);
