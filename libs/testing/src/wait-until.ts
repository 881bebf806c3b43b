/** Polls `check` until it returns a truthy value (which is returned) or `timeoutMs` passes. */
export async function waitUntil<T>(check: () => Promise<T> | T, { timeoutMs = 15_000, intervalMs = 50, what = 'a condition' } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

/** Waits `ms` milliseconds: for a fault to take effect while load runs, or a timer in the system to pass. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
