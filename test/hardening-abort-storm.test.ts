import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createEngine, MatryoshkaError } from '@matryoshka/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

// A real collection between rounds, so that what is left on the heap is what leaked.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function settledHeapMB(): Promise<{ heap: number; rss: number }> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  const m = process.memoryUsage();
  return { heap: m.heapUsed / 2 ** 20, rss: m.rss / 2 ** 20 };
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** A deterministic stream of choices, so a failure can be replayed. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('abort storms against the tiny bundle', () => {
  it('hundreds of generations started and cancelled at random moments: no crash, no unhandled rejection, memory flat', async () => {
    const engine = createEngine({ modelsDir: FIXTURES, defaultModel: 'tiny-bundle', threads: 1 });
    const random = lcg(7);
    const outcomes = { ok: 0, ABORTED: 0, BUSY: 0 } as Record<string, number>;
    // Warm-up: the ONNX session and sharp are loaded once and belong to the baseline.
    await engine.generate({ prompt: 'warm up', steps: 2, seed: 0, preview: true }, { onProgress: () => {} });
    const baseline = await settledHeapMB();
    const rounds: Array<{ heap: number; rss: number }> = [];
    const ROUNDS = 6;
    const PER_ROUND = 40;
    for (let round = 0; round < ROUNDS; round++) {
      const pending: Promise<void>[] = [];
      for (let i = 0; i < PER_ROUND; i++) {
        const controller = new AbortController();
        const mode = random();
        if (mode < 0.15) controller.abort(new Error('before start'));
        const run = engine
          .generate(
            {
              prompt: `storm ${round} ${i}`,
              steps: 1 + Math.floor(random() * 12),
              seed: i,
              preview: random() < 0.5,
            },
            {
              signal: controller.signal,
              // Some abort from inside a progress callback, the moment a step completes.
              onProgress: mode > 0.85 ? () => controller.abort() : undefined,
            },
          )
          .then(
            () => {
              outcomes.ok = (outcomes.ok ?? 0) + 1;
            },
            (error: unknown) => {
              if (!MatryoshkaError.isInstance(error)) throw error;
              if (error.code !== 'ABORTED' && error.code !== 'BUSY') throw error;
              outcomes[error.code] = (outcomes[error.code] ?? 0) + 1;
            },
          );
        pending.push(run);
        // 0.7–0.85: left to finish, so completed work is interleaved with cancelled work.
        if (mode >= 0.15 && mode < 0.7) {
          setTimeout(() => controller.abort(), Math.floor(random() * 40));
        }
        // Let some requests start before the next arrives, so aborts hit queued and running ones alike.
        if (random() < 0.3) await new Promise((r) => setTimeout(r, random() * 10));
      }
      await Promise.all(pending);
      rounds.push(await settledHeapMB());
    }
    // After the storm the engine still works and gives the same bytes as a fresh one would.
    const after = await engine.generate({ prompt: 'a red apple', steps: 3, seed: 42 });
    await engine.close();
    const fresh = createEngine({ modelsDir: FIXTURES, defaultModel: 'tiny-bundle', threads: 1 });
    const reference = await fresh.generate({ prompt: 'a red apple', steps: 3, seed: 42 });
    await fresh.close();
    expect(
      Buffer.from(after.images[0]?.bytes ?? []).equals(Buffer.from(reference.images[0]?.bytes ?? [])),
    ).toBe(true);

    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
    const total = ROUNDS * PER_ROUND;
    expect((outcomes.ok ?? 0) + (outcomes.ABORTED ?? 0) + (outcomes.BUSY ?? 0)).toBe(total);
    // The storm must really have cancelled work, or it tested nothing.
    expect(outcomes.ABORTED).toBeGreaterThan(total / 4);
    expect(outcomes.ok).toBeGreaterThan(0);
    const last = rounds.at(-1) as { heap: number; rss: number };
    const first = rounds[0] as { heap: number; rss: number };
    // Bounded: later rounds hold no more than the first one did, within noise.
    expect(last.heap - first.heap).toBeLessThan(8);
    expect(last.rss - baseline.rss).toBeLessThan(150);
    console.info(
      `abort storm: ${total} requests (${outcomes.ok} done, ${outcomes.ABORTED} aborted, ${outcomes.BUSY} busy); ` +
        `heap after GC ${baseline.heap.toFixed(1)} → ${rounds.map((r) => r.heap.toFixed(1)).join(' → ')} MB; ` +
        `RSS ${baseline.rss.toFixed(0)} → ${last.rss.toFixed(0)} MB`,
    );
  });
});
