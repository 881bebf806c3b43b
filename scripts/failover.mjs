#!/usr/bin/env node
/**
 * `npm run test:failover`: the failover suite (docs/scaling.md). Starts the multi-node cluster
 * (scripts/lib/cluster: network namespaces, Patroni, Sentinel, ...; root only), runs the three
 * scenarios under load, writes bench/results/failover.{json,md}, stops and removes everything.
 * Ends with `failover: N passed, N failed` (or one skipped line saying why it cannot run here).
 * Options: --skip-build.
 */
import { ensureDependencies } from './lib/dependencies.mjs';
import { log, warn } from './lib/log.mjs';

await ensureDependencies();
const { runFailoverPass } = await import('./lib/failover/pass.mjs');
const result = await runFailoverPass({ build: !process.argv.includes('--skip-build') });
process.stdout.write(`\n${result.line}\n`);
if (result.skipped) warn(`skipped: ${result.skipped}`);
else log('failover results: bench/results/failover.md');
process.exit(result.failed > 0 || result.skipped ? 1 : 0);
