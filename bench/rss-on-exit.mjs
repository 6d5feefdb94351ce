// Preloaded with `node --import` into a process the bench starts (the CLI), so that the process
// reports its own peak RSS and CPU time: Node's child_process API does not return rusage.
import { writeFileSync } from 'node:fs';

const file = process.env.MATRYOSHKA_BENCH_RUSAGE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({ maxRssMB: u.maxRSS / 1024, cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6 }),
    );
  });
}
