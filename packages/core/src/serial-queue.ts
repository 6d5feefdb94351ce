import { MatryoshkaError } from './errors.js';

/**
 * Runs jobs one at a time. Two generations on the same two cores only slow each other down, and a
 * shared ONNX session is not meant for concurrent runs; callers beyond `limit` get BUSY at once.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.waiting;
  }

  run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.waiting >= this.limit) {
      return Promise.reject(
        new MatryoshkaError(
          'BUSY',
          `The engine already has ${this.waiting} generations queued; try again when one finishes`,
        ),
      );
    }
    this.waiting++;
    const previous = this.tail;
    const result = (async () => {
      try {
        await waitOrAbort(previous, signal);
        return await job();
      } finally {
        this.waiting--;
      }
    })();
    // The next job waits until this one settles AND everything before it has: a job aborted while
    // waiting settles early, yet the job it waited for may still be running.
    this.tail = Promise.allSettled([previous, result]).then(() => undefined);
    return result;
  }

  /** Resolves once every job queued so far has settled. */
  async drain(): Promise<void> {
    await this.tail;
  }
}

function waitOrAbort(previous: Promise<unknown>, signal?: AbortSignal): Promise<void> {
  const aborted = () =>
    new MatryoshkaError('ABORTED', 'Generation aborted before it started', { cause: signal?.reason });
  if (signal?.aborted) return Promise.reject(aborted());
  if (!signal) return previous.then(() => undefined);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    previous.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
