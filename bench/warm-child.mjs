// A fresh process per model, so that its peak RSS (maxRSS) is this model's alone. Plain JavaScript
// against the BUILT @matryoshka/core: what a user's `node` runs, with no TypeScript loader in the
// measurement. Reads its job as JSON from argv[2]; prints one JSON object on stdout.
import { performance } from 'node:perf_hooks';
import { createEngine } from '@matryoshka/core';

const job = JSON.parse(process.argv[2]);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const engine = createEngine({ modelsDir: job.modelsDir, threads: job.threads, defaultModel: job.model });
// kind 'clip' times clip bundles: one "image" of a run is then one whole clip.
const base = {
  ...(job.kind ? { kind: job.kind } : {}),
  prompt: job.prompt,
  model: job.model,
  guidance: job.guidance,
};

const loadStart = performance.now();
const warm = await engine.generate({ ...base, steps: 2, seed: 0 });
const firstRequestMs = performance.now() - loadStart;

const runs = [];
for (const { sampler, steps, images } of job.runs) {
  const samples = [];
  const denoise = [];
  const cpu = [];
  for (let k = 0; k < images; k++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const result = await engine.generate({ ...base, sampler, steps, seed: 1 + k });
    const c = process.cpuUsage(c0);
    samples.push((performance.now() - t0) / 1000);
    cpu.push((c.user + c.system) / 1e6);
    denoise.push(result.timings.denoiseMs / 1000);
  }
  runs.push({
    sampler,
    steps,
    secondsPerImage: median(samples),
    denoiseSeconds: median(denoise),
    cpuSecondsPerImage: median(cpu),
    samples,
  });
}

// Request -> first preview PNG in hand, on the warm engine (the default sampler and steps).
const previews = [];
for (let k = 0; k < job.previewRepeats; k++) {
  const t0 = performance.now();
  let first;
  const controller = new AbortController();
  await engine
    .generate(
      { ...base, sampler: job.previewRun.sampler, steps: job.previewRun.steps, seed: 100 + k, preview: true },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.preview && first === undefined) {
            first = performance.now() - t0;
            controller.abort();
          }
        },
      },
    )
    .catch((error) => {
      if (error?.code !== 'ABORTED') throw error;
    });
  previews.push(first / 1000);
}

await engine.close();
const usage = process.resourceUsage();
process.stdout.write(
  JSON.stringify({
    loadMs: warm.timings.loadMs,
    firstRequestMs,
    runs,
    firstPreviewSeconds: median(previews),
    previewSamples: previews,
    maxRssMB: usage.maxRSS / 1024,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
  }),
);
