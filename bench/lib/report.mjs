import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const COLUMNS = [
  ['endpoint', (row) => row.name],
  ['req/s', (row) => Math.round(row.requestsPerSecond).toLocaleString('en-US')],
  ['p50 ms', (row) => row.p50Ms.toFixed(1)],
  ['p99 ms', (row) => row.p99Ms.toFixed(1)],
  ['errors', (row) => String(row.errors)],
  ['non-2xx', (row) => String(row.non2xx)],
  ['ratio to ceiling', (row) => `${(row.ratioToCeiling * 100).toFixed(1)}%`],
  ['server RSS MiB', (row) => (row.rssMiB === undefined ? '' : String(row.rssMiB))],
];

function cells(rows) {
  return rows.map((row) => COLUMNS.map(([, value]) => value(row)));
}

/** The table for the terminal. */
export function textTable(rows) {
  const body = cells(rows);
  const widths = COLUMNS.map(([title], i) => Math.max(title.length, ...body.map((line) => line[i].length)));
  const line = (values) => values.map((value, i) => (i === 0 ? value.padEnd(widths[i]) : value.padStart(widths[i]))).join('  ');
  return [line(COLUMNS.map(([title]) => title)), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function markdownTable(rows) {
  const header = `| ${COLUMNS.map(([title]) => title).join(' | ')} |`;
  const rule = `|${COLUMNS.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`;
  return [header, rule, ...cells(rows).map((line) => `| ${line.join(' | ')} |`)].join('\n');
}

/** Writes `<size>.json` and `<size>.md` (the latest run of that size) under bench/results/. */
export function writeResults(dir, report) {
  // Through PgBouncer beside, not over, the direct figures; a run of some endpoints (--only) beside the whole run.
  const only = report.only ? `-only-${report.only.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` : '';
  const revoked = report.revocations ? `-revocations-${report.revocations}` : '';
  const traced = report.traces ? `-traces${report.traces.ratio < 1 ? `-${report.traces.ratio}` : ''}` : '';
  const base = join(dir, `${report.dataset.size}${report.database === 'pgbouncer' ? '-pgbouncer' : ''}${only}${revoked}${traced}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  const markdown = [
    `# Benchmark: ${report.dataset.size} data set`,
    '',
    `- command: \`${report.command}\``,
    `- when: ${report.startedAt}`,
    `- machine: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB RAM, ${report.machine.os}; Node ${report.machine.node}; load generator (autocannon) on the same machine`,
    `- data: ${report.dataset.users.toLocaleString('en-US')} users, ${report.dataset.articles.toLocaleString('en-US')} articles; feed reader follows ${report.dataset.readerFollows} authors; most-followed author has ${report.dataset.maxFollowers.toLocaleString('en-US')} followers${report.revocations ? `; ${report.revocations.toLocaleString('en-US')} revoked tokens held by every API instance` : ''}`,
    `- load: ${report.load.connections} connections, ${report.load.durationSeconds} s per endpoint after a ${report.load.warmupSeconds} s warm-up`,
    `- system: ${report.system}${report.traces ? `; tracing on: ${report.traces.ratio < 1 ? `${report.traces.ratio * 100}% of the traces sampled, their spans` : 'every span'} exported over OTLP/HTTP to a sink on this machine (${report.traces.exports.toLocaleString('en-US')} exports, ${Math.round(report.traces.bytes / 2 ** 20)} MiB)` : ''}`,
    `- ceiling: bare Node http server, same ${report.ceiling.bodyBytes.toLocaleString('en-US')}-byte JSON body: ${Math.round(report.ceiling.requestsPerSecond).toLocaleString('en-US')} req/s, p99 ${report.ceiling.p99Ms.toFixed(1)} ms`,
    '',
    markdownTable(report.rows),
    '',
    `Hashing isolation: list p99 ${report.hashingIsolation.baselineP99Ms.toFixed(1)} ms alone, ${report.hashingIsolation.underLoginsP99Ms.toFixed(1)} ms while logins run at full rate (${report.hashingIsolation.ratio.toFixed(2)}×; target ≤ 2×)` +
      (report.hashingIsolation.loginsPerSecond === undefined
        ? '.'
        : `; the logins: ${Math.round(report.hashingIsolation.loginsPerSecond)}/s, p99 ${report.hashingIsolation.loginP99Ms.toFixed(1)} ms, ${report.hashingIsolation.loginsRefused} refused with 503 by the bounded hashing queue.`),
    '',
    ...(report.drain
      ? [
          `Writes marked "worker stopped" ran with the worker stopped (their events waited in the outbox); the worker, started again alone, then worked off ${report.drain.events.toLocaleString('en-US')} events in ${report.drain.seconds.toFixed(1)} s (${Math.round(report.drain.eventsPerSecond).toLocaleString('en-US')} events/s, its start-up included). The other writes ran with the worker working beside the API on the same two cores.`,
          '',
        ]
      : []),
  ].join('\n');
  writeFileSync(`${base}.md`, markdown);
  return { json: `${base}.json`, markdown: `${base}.md` };
}
