/**
 * Runs at most `limit` tasks at once; the rest wait their turn in order.
 * Password hashing uses it so a burst of logins cannot occupy every core
 * (libuv runs four hashes at once by default) and stall all other requests.
 */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
