import { loadavg } from 'node:os';

/** Samples the 1-minute load average while the bench runs: the table states how busy the machine was. */
export function startLoadMonitor(intervalMs = 5_000): {
  stop(): { start: number[]; end: number[]; meanDuring: number };
} {
  const start = loadavg();
  const samples: number[] = [start[0] as number];
  const timer = setInterval(() => samples.push(loadavg()[0] as number), intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const end = loadavg();
      samples.push(end[0] as number);
      return { start, end, meanDuring: samples.reduce((a, b) => a + b, 0) / samples.length };
    },
  };
}
