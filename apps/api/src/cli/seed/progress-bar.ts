/** A one-line progress bar on stderr (redrawn in place on a terminal, one line per step otherwise). */
export class ProgressBar {
  private done = 0;
  private lastDrawn = -1;
  private readonly startedAt = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.draw();
  }

  tick(count: number): void {
    this.done = Math.min(this.total, this.done + count);
    this.draw();
  }

  finish(): void {
    if (this.lastDrawn === 100) return this.stream.isTTY ? void this.stream.write('\n') : undefined;
    this.done = this.total;
    this.draw();
    if (this.stream.isTTY) this.stream.write('\n');
  }

  private draw(): void {
    const percent = this.total === 0 ? 100 : Math.floor((this.done / this.total) * 100);
    if (!this.stream.isTTY && percent !== 100 && percent - this.lastDrawn < 25) return;
    if (percent === this.lastDrawn && this.done !== this.total) return;
    this.lastDrawn = percent;
    const width = 30;
    const filled = Math.round((percent / 100) * width);
    const seconds = ((Date.now() - this.startedAt) / 1000).toFixed(1);
    const line = `${this.label.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}% ${this.done}/${this.total} ${seconds}s`;
    this.stream.write(this.stream.isTTY ? `\r${line}` : `${line}\n`);
  }
}
