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

  /**
   * Runs `job` after every job before it. `maxQueued` (at most the queue's own limit) is how many
   * jobs may already wait in line behind the running one for this caller to join; past it the job
   * is refused at once (BUSY). `onQueued` hears how many jobs are ahead when the job has to wait.
   */
  run<T>(
    job: () => Promise<T>,
    signal?: AbortSignal,
    options: { maxQueued?: number; onQueued?: (ahead: number) => void } = {},
  ): Promise<T> {
    // `limit` counts the running job too, as it always has; a caller's maxQueued counts only waiters.
    const limit = options.maxQueued ?? this.limit - 1;
    const ahead = this.waiting;
    if (ahead > 0 && ahead - 1 >= limit) return Promise.reject(busy(ahead, limit));
    if (ahead > 0) options.onQueued?.(ahead);
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

function busy(ahead: number, limit: number): MatryoshkaError {
  return new MatryoshkaError(
    'BUSY',
    `the engine is busy: 1 generation running and ${ahead - 1} waiting (the limit is ${limit}); try again when one finishes`,
    { details: { running: 1, waiting: ahead - 1, limit } },
  );
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
