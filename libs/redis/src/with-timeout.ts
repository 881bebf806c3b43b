/**
 * `promise`, or a rejection with `message` once `ms` have passed, whichever
 * comes first. Every Redis call on a request or scrape path goes through it,
 * so a slow or unreachable Redis costs a bounded wait, never a hung request.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
