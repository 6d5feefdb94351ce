// Draws the eval's images with the real engine (the built @matryoshka/core, ONNX Runtime, the bundle
// as shipped), so the eval judges what users run, not a PyTorch re-implementation of it.
// Usage: node training/eval_generate.mjs JOB.json   (written by training/eval.py)
// JOB: { modelsDir, model, threads, sampler, steps, guidance, outDir, items: [{ prompt, seed, file }] }
// Prints one JSON line: { images, secondsPerImage, cpuSecondsPerImage } (medians).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEngine } from '@matryoshka/core';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const engine = createEngine({ modelsDir: job.modelsDir, threads: job.threads, defaultModel: job.model });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// One throw-away request so that session start-up is not timed as part of the first image.
await engine.generate({ prompt: 'warm up', model: job.model, steps: 1, seed: 0 });
const wall = [];
const cpu = [];
for (const item of job.items) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = await engine.generate({
    prompt: item.prompt,
    model: job.model,
    sampler: job.sampler,
    steps: job.steps,
    guidance: job.guidance,
    seed: item.seed,
    format: 'png',
  });
  const c = process.cpuUsage(c0);
  wall.push((performance.now() - t0) / 1000);
  cpu.push((c.user + c.system) / 1e6);
  const path = join(job.outDir, item.file);
  writeFileSync(`${path}.tmp`, result.images[0].bytes);
  renameSync(`${path}.tmp`, path);
}
await engine.close();
console.log(
  JSON.stringify({ images: job.items.length, secondsPerImage: median(wall), cpuSecondsPerImage: median(cpu) }),
);
