import { MatryoshkaError } from '@matryoshka/core';
import { describe, expect, it } from 'vitest';
import { JobQueue } from './job-queue.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe('JobQueue', () => {
  it('runs at most `concurrency` jobs at once, in arrival order', async () => {
    const queue = new JobQueue(2, 10);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const gates = Array.from({ length: 5 }, deferred);
    const runs = gates.map((gate, i) =>
      queue.run(async () => {
        active++;
        peak = Math.max(peak, active);
        order.push(i);
        await gate.promise;
        active--;
      }),
    );
    await Promise.resolve();
    expect(queue.stats).toEqual({ running: 2, waiting: 3 });
    for (const gate of gates) gate.resolve();
    await Promise.all(runs);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(queue.stats).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses a job with BUSY when the line is full, and reports how many are ahead', async () => {
    const queue = new JobQueue(1, 1);
    const gate = deferred();
    const first = queue.run(() => gate.promise);
    const aheads: number[] = [];
    const second = queue.run(
      async () => 'second',
      undefined,
      (ahead) => aheads.push(ahead),
    );
    const third = queue.run(async () => 'third');
    await expect(third).rejects.toSatisfy((e) => MatryoshkaError.isInstance(e) && e.code === 'BUSY');
    expect(aheads).toEqual([1]);
    gate.resolve();
    await first;
    await expect(second).resolves.toBe('second');
  });

  it('drops a waiting job whose signal aborts, and frees its place', async () => {
    const queue = new JobQueue(1, 1);
    const gate = deferred();
    const first = queue.run(() => gate.promise);
    const controller = new AbortController();
    let ran = false;
    const waiting = queue.run(async () => {
      ran = true;
    }, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toSatisfy((e) => MatryoshkaError.isInstance(e) && e.code === 'ABORTED');
    expect(queue.stats.waiting).toBe(0);
    const next = queue.run(async () => 'next');
    gate.resolve();
    await first;
    await expect(next).resolves.toBe('next');
    expect(ran).toBe(false);
  });

  it('frees the slot when a job throws', async () => {
    const queue = new JobQueue(1, 0);
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run(async () => 7)).resolves.toBe(7);
  });

  it('rejects nonsense limits', () => {
    expect(() => new JobQueue(0, 1)).toThrow(RangeError);
    expect(() => new JobQueue(1, -1)).toThrow(RangeError);
  });
});
