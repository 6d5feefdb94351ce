import type { Progress } from '@matryoshka/core';
import type { OptionsSpec } from './args.js';
import { formatDuration } from './format.js';

export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';
export const PROGRESS_MODES = ['auto', 'bar', 'lines', 'none'] as const;

/** --progress and --quiet, shared by the commands that draw. */
export const progressOptions = {
  progress: {
    type: 'string',
    valueName: 'mode',
    choices: PROGRESS_MODES,
    description: 'auto draws a bar on a terminal and stays silent otherwise; lines prints one line per step.',
    defaultText: 'auto',
  },
  quiet: { type: 'boolean', short: 'q', description: 'Print nothing but errors (and the --json object).' },
} as const satisfies OptionsSpec;

export interface ProgressReporter {
  update(progress: Progress): void;
  /** Removes the bar so the next line starts clean; safe to call more than once. */
  finish(): void;
}

interface Stream {
  write(chunk: string): unknown;
  columns?: number;
}

const silent: ProgressReporter = { update() {}, finish() {} };

/** One line per finished step: readable in CI logs and by programs waiting for work to start. */
export function lineProgress(stream: Stream, count: number): ProgressReporter {
  return {
    update(p) {
      const image = count > 1 ? ` image ${p.imageIndex + 1}/${count}` : '';
      stream.write(`progress:${image} step ${p.step}/${p.total} ${formatDuration(p.elapsedMs)}\n`);
    },
    finish() {},
  };
}

/**
 * A redrawn single-line bar for a terminal. Redraws are throttled because a tiny model can finish
 * a step in a few milliseconds and a terminal repainting that fast flickers.
 */
export function barProgress(stream: Stream, count: number, now: () => number = Date.now): ProgressReporter {
  const started = now();
  // The time left is estimated from the pace since the first step, so model loading does not skew it.
  let first: { time: number; done: number } | undefined;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    update(p) {
      const { completed: done, total: all } = p.overall;
      const t = now();
      first ??= { time: t, done };
      if (t - lastDraw < 80 && done < all) return;
      lastDraw = t;
      const fraction = Math.min(1, done / all);
      const elapsed = t - started;
      const pace = done > first.done ? (t - first.time) / (done - first.done) : undefined;
      // An estimate from the first few hundred milliseconds is mostly noise; leave it out until then.
      const eta =
        pace !== undefined && t - first.time >= 500 && done < all
          ? `  ~${formatDuration(pace * (all - done))} left`
          : '';
      const image = count > 1 ? `image ${p.imageIndex + 1}/${count}  ` : '';
      const steps = `  ${p.step}/${p.total} steps  ${formatDuration(elapsed)}`;
      // Some pseudo-terminals report 0 columns.
      const columns = stream.columns || 80;
      // Narrow terminal: drop the estimate first, then shrink the bar, never wrap the line.
      const text = image.length + steps.length + eta.length + 12 <= columns ? `${steps}${eta}` : steps;
      const width = Math.min(40, columns - 1 - image.length - text.length - 2);
      const filled = Math.round(fraction * Math.max(width, 0));
      const bar = width >= 5 ? `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]` : '';
      stream.write(`\r${`${image}${bar}${text}`.slice(0, columns - 1)}\u001b[K`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write('\r\u001b[K');
      drawn = false;
    },
  };
}

export function createProgress(
  mode: ProgressMode,
  stream: Stream & { isTTY?: boolean },
  count: number,
): ProgressReporter {
  const resolved = mode === 'auto' ? (stream.isTTY ? 'bar' : 'none') : mode;
  if (resolved === 'bar') return barProgress(stream, count);
  if (resolved === 'lines') return lineProgress(stream, count);
  return silent;
}
