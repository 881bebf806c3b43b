/** Drives `send` from `concurrency` loops until `stop()` and tallies every outcome. */
export class SteadyLoad {
  private running = true;
  private readonly loops: Promise<void>[] = [];
  readonly outcomes: { ok: number; failed: { what: string; status: number | string }[] } = { ok: 0, failed: [] };
  /** Every outcome in order, for tests that need the 2xx writes or timings. */
  readonly log: { what: string; status: number | string; ms: number; at: number }[] = [];

  constructor(concurrency: number, send: (loop: number, i: number) => Promise<{ what: string; status: number }>) {
    for (let loop = 0; loop < concurrency; loop++) {
      this.loops.push(
        (async () => {
          for (let i = 0; this.running; i++) {
            const started = Date.now();
            try {
              const { what, status } = await send(loop, i);
              this.log.push({ what, status, ms: Date.now() - started, at: started });
              if (status >= 200 && status < 300) this.outcomes.ok++;
              else this.outcomes.failed.push({ what, status });
            } catch (error) {
              const status = error instanceof Error ? error.message : String(error);
              this.log.push({ what: `loop ${loop}`, status, ms: Date.now() - started, at: started });
              this.outcomes.failed.push({ what: `loop ${loop}`, status });
            }
          }
        })(),
      );
    }
  }

  async stop() {
    this.running = false;
    await Promise.all(this.loops);
    return this.outcomes;
  }
}
