import { log, warn } from './log.mjs';
import { BUILT, httpOk, sleep, startProcess, waitUntil } from './processes.cjs';

/**
 * A small supervisor for N API instances on consecutive loopback ports, as the
 * gateway's upstream: it restarts an instance that dies, and restarts them one
 * at a time on request (each new one ready before the next old one stops), so
 * the gateway always has an instance to send requests to.
 */
export class ApiInstances {
  constructor({ count, firstPort, env, onChange = () => {}, settleMs = 3000 }) {
    this.env = env;
    this.onChange = onChange;
    /**
     * How long the other instances must have been ready before a rolling restart stops one:
     * longer than the gateway's fail_timeout (2 s), so the gateway has taken a restarted
     * instance back into rotation (its connection refusals while down marked it failed) and
     * never has all of them out at once.
     */
    this.settleMs = settleMs;
    this.stopping = false;
    this.slots = Array.from({ length: count }, (_, index) => ({ index, port: firstPort + index, proc: undefined, restarting: false, readySince: undefined }));
  }

  get addresses() {
    return this.slots.map((slot) => this.address(slot));
  }

  address(slot) {
    return `127.0.0.1:${slot.port}`;
  }

  describe() {
    return this.slots.map((slot) => ({ port: slot.port, pid: slot.proc?.child.pid }));
  }

  async start() {
    for (const slot of this.slots) this.launch(slot);
    await Promise.all(this.slots.map((slot) => this.waitReady(slot)));
  }

  launch(slot) {
    const proc = startProcess(`api-${slot.index + 1}`, process.execPath, [BUILT.api], {
      env: { ...this.env, PORT: String(slot.port), HOST: '127.0.0.1', API_WORKERS: this.env.API_WORKERS ?? '1' },
    });
    slot.proc = proc;
    slot.readySince = undefined;
    this.onChange();
    // Known when ready, whoever started it (start, a rolling restart, or a restart after a crash).
    void this.waitReady(slot).then(
      () => slot.proc === proc && (slot.readySince = Date.now()),
      () => {},
    );
    void proc.exited.then(async (code) => {
      if (this.stopping || slot.restarting || slot.proc !== proc) return;
      warn(`API instance on port ${slot.port} exited (${code}); starting it again`);
      await sleep(500);
      if (!this.stopping && slot.proc === proc) this.launch(slot);
    });
  }

  waitReady(slot) {
    // slot.proc, not the process of the call: one that dies is started again, and its successor counts.
    return waitUntil(async () => slot.proc.running && (await httpOk(`http://127.0.0.1:${slot.port}/health/ready`)), {
      timeoutMs: 60000,
      what: `the API instance on port ${slot.port} to become ready`,
    });
  }

  /**
   * Restarts every instance in turn: stop it gracefully (it drains: keeps serving with
   * `Connection: close` until the gateway's idle connections to it have expired, then finishes
   * in-flight requests), start it again, wait until it is ready and the gateway uses it again.
   * Requests the gateway sends while it is down are refused before reaching it, so the gateway
   * passes them to another instance, writes included. With one instance there is nothing to
   * fail over to.
   */
  async rollingRestart() {
    if (this.restartInProgress) {
      log('rolling restart: already in progress');
      return;
    }
    if (this.slots.length === 1) warn('rolling restart of a single API instance: requests fail while it restarts');
    this.restartInProgress = true;
    try {
      for (const slot of this.slots) {
        if (this.stopping) return;
        // Never take one out while another is not back in the gateway's rotation (e.g. it was
        // just restarted after a crash): it must have been ready for settleMs.
        const others = this.slots.filter((other) => other !== slot);
        await waitUntil(async () => others.every((other) => other.readySince !== undefined && Date.now() - other.readySince >= this.settleMs), {
          timeoutMs: 90000,
          what: 'the other API instances to be ready and in rotation',
        });
        log(`rolling restart: API instance on port ${slot.port}`);
        slot.restarting = true;
        try {
          await slot.proc.stop(30000);
          if (this.stopping) return;
          this.launch(slot);
          await this.waitReady(slot);
        } finally {
          slot.restarting = false;
        }
      }
      log('rolling restart: done');
    } finally {
      this.restartInProgress = false;
    }
  }

  async stop() {
    this.stopping = true;
    await Promise.all(this.slots.map((slot) => slot.proc?.stop(30000)));
  }
}
