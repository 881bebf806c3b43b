import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestContext {
  readonly requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` (and everything it starts) with this request id available to `currentRequestId()`. */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

/** The id of the request being served, so it can travel into the jobs that request causes. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
