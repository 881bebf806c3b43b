import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where a process spent its CPU time, from a V8 CPU profile (`node --cpu-prof`): self time
 * grouped by area (an npm package, a Node.js core module, the project's own apps and libs,
 * V8's garbage collector, idle) and the functions with the most self time.
 */
export function summarizeProfile(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const areas = new Map();
  const functions = new Map();
  let totalUs = 0;
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id);
    const area = areaOf(callFrame);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const name = `${callFrame.functionName || '(anonymous)'} ${shortUrl(callFrame.url)}${callFrame.url ? `:${callFrame.lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    totalUs += us;
  }
  const ranked = (map) => [...map].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: us / totalUs }));
  const kind = profile.nodes.some((node) => node.callFrame.url.includes('/apps/worker/'))
    ? 'worker'
    : profile.nodes.some((node) => node.callFrame.url.includes('/apps/api/'))
      ? 'api'
      : 'other';
  return { kind, totalMs: Math.round(totalUs / 1000), areas: ranked(areas), functions: ranked(functions) };
}

function areaOf({ url, functionName }) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) {
    const module = url.slice(5).replace(/^internal\//, '');
    return `node:${module.split('/')[0].replace(/^_?(http|stream|tls|net)\w*$/, '$1')}`;
  }
  const own = /\/(apps|libs)\/([^/]+)\//.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

function shortUrl(url) {
  const pkg = /node_modules\/(.*)$/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/((?:apps|libs)\/.*)$/.exec(url);
  return own ? own[1] : url;
}

/** Every profile in `dir`, summarized, one per process. */
export function summarizeProfiles(dir) {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.cpuprofile'))
    .map((file) => ({ file, ...summarizeProfile(JSON.parse(readFileSync(join(dir, file), 'utf8'))) }));
}

/** A plain-text report: the top areas and functions of each process. */
export function profileReport(summaries, { areas = 15, functions = 15 } = {}) {
  const percent = (share) => `${(share * 100).toFixed(1)}%`.padStart(6);
  return summaries
    .map((summary) =>
      [
        `${summary.kind} (${summary.file}): ${summary.totalMs} ms sampled`,
        '  by area (self time):',
        ...summary.areas.slice(0, areas).map((area) => `  ${percent(area.share)}  ${area.name}`),
        '  top functions (self time):',
        ...summary.functions.slice(0, functions).map((fn) => `  ${percent(fn.share)}  ${fn.name}`),
      ].join('\n'),
    )
    .join('\n\n');
}
