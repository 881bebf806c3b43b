import { HttpException } from '@nestjs/common';

/** The HTTP status `run` throws (an HttpException), undefined when it returns, -1 for any other error. */
export function httpStatusOf(run: () => unknown): number | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof HttpException ? error.getStatus() : -1;
  }
}
