import { describe, expect, it } from 'vitest';
import { barProgress, createProgress, lineProgress } from './progress.js';

const CLEAR_LINE = '\u001b[K';
const visible = (chunk: string | undefined) => (chunk ?? '').replace('\r', '').replace(CLEAR_LINE, '');

function sink(isTTY = false) {
  const chunks: string[] = [];
  return { chunks, isTTY, columns: 80, write: (c: string) => chunks.push(c) };
}

const step = (step: number, total: number, imageIndex = 0, count = 1) => ({
  step,
  total,
  imageIndex,
  elapsedMs: step * 10,
  overall: { completed: imageIndex * total + step, total: count * total },
});

describe('progress', () => {
  it('is silent in auto mode off a terminal', () => {
    const out = sink(false);
    const progress = createProgress('auto', out, 1);
    progress.update(step(1, 4));
    progress.finish();
    expect(out.chunks).toEqual([]);
  });

  it('draws a bar on a terminal, throttled, with the final state always drawn, then clears it', () => {
    const out = sink(true);
    let clock = 0;
    const bar = barProgress(out, 2, () => clock);
    bar.update(step(1, 4, 0, 2));
    clock = 10;
    bar.update(step(2, 4, 0, 2)); // within 80 ms: skipped
    clock = 200;
    bar.update(step(4, 4, 1, 2)); // last step of the last image: always drawn
    bar.finish();
    expect(out.chunks).toHaveLength(3);
    expect(out.chunks.slice(0, 2).every((c) => c.startsWith('\r') && c.endsWith(CLEAR_LINE))).toBe(true);
    expect(visible(out.chunks[0])).toMatch(/^image 1\/2 {2}\[█{5}░{35}\] {2}1\/4 steps {2}0 ms$/);
    expect(visible(out.chunks[1])).toMatch(/\[█{40}\] {2}4\/4 steps {2}200 ms$/);
    expect(out.chunks[2]).toBe('\r\u001b[K');
  });

  it('estimates the time left once it has enough to go on', () => {
    const out = sink(true);
    let clock = 0;
    const bar = barProgress(out, 1, () => clock);
    clock = 2000; // loading the model: not part of the pace
    bar.update(step(1, 5));
    clock = 2600;
    bar.update(step(3, 5));
    expect(out.chunks[1]).toContain('3/5 steps');
    expect(out.chunks[1]).toContain('2.6 s  ~600 ms left');
  });

  it('treats a terminal that reports 0 columns as 80 wide', () => {
    const out = { ...sink(true), columns: 0 };
    barProgress(out, 1, () => 0).update(step(1, 2));
    expect(visible(out.chunks[0])).toMatch(/^\[█{20}░{20}\] {2}1\/2 steps {2}0 ms$/);
  });

  it('never wraps, however narrow the terminal', () => {
    for (const columns of [20, 30, 40, 60]) {
      const out = { ...sink(true), columns };
      let clock = 0;
      const bar = barProgress(out, 3, () => clock);
      bar.update(step(1, 20, 0, 3));
      clock = 5000;
      bar.update(step(10, 20, 1, 3));
      const line = visible(out.chunks[1]);
      expect(line.length).toBeLessThan(columns);
      if (columns >= 40) expect(line).toContain('10/20 steps');
    }
  });

  it('prints one line per step in lines mode', () => {
    const out = sink(false);
    const progress = lineProgress(out, 2);
    progress.update(step(1, 2, 1, 2));
    expect(out.chunks).toEqual(['progress: image 2/2 step 1/2 10 ms\n']);
  });
});
