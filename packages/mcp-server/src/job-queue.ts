import { MatryoshkaError } from '@matryoshka/core';

type Waiting = () => void;

/**
 * A bounded FIFO in front of the engine: at most `concurrency` jobs run, at most `maxQueued` wait,
 * and one more is refused at once (BUSY) so a client learns it should retry instead of timing out.
 */
export class JobQueue {
  private running = 0;
  private readonly waiting: Waiting[] = [];

  constructor(
    readonly concurrency: number,
    readonly maxQueued: number,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new RangeError('concurrency must be an integer ≥ 1');
    if (!Number.isInteger(maxQueued) || maxQueued < 0)
      throw new RangeError('maxQueued must be an integer ≥ 0');
  }

  get stats(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /**
   * Runs `job` when a slot is free. `onQueued` hears the number of jobs ahead if it has to wait.
   * An abort while waiting removes the job from the line; an abort while running is the job's business.
   */
  async run<T>(job: () => Promise<T>, signal?: AbortSignal, onQueued?: (ahead: number) => void): Promise<T> {
    if (signal?.aborted) throw aborted();
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxQueued) {
        throw new MatryoshkaError(
          'BUSY',
          `the server is busy: ${this.running} generation(s) running and ${this.waiting.length} waiting (the limit); try again shortly`,
          { details: { running: this.running, waiting: this.waiting.length } },
        );
      }
      onQueued?.(this.waiting.length + this.running);
      await this.waitForSlot(signal);
    } else {
      this.running++;
    }
    try {
      return await job();
    } finally {
      this.release();
    }
  }

  private waitForSlot(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entry: Waiting = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(entry);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(aborted());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next job, so `running` never dips and lets a newcomer jump the line.
    if (next) next();
    else this.running--;
  }
}

const aborted = () => new MatryoshkaError('ABORTED', 'the request was cancelled while waiting in the queue');
