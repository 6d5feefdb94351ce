// Draws the eval's images and clips with the real engine (the built @matryoshka/core, ONNX Runtime, the
// bundle as shipped), so the eval judges what users run, not a PyTorch re-implementation of it.
// Usage: node training/eval_generate.mjs JOB.json   (written by training/eval_draw.py; - reads stdin)
// A job { read: true, kind?, modelsDir, model, prompts: [...] } draws nothing: it prints one JSON
// line, each prompt as the engine reads it (the text the model is given, and the colour the picture
// is turned to, if any), which keys the eval's cache.
// JOB: { kind?: 'image' | 'clip', modelsDir, model, threads, sampler, steps, guidance, outDir,
//        size?, items: [{ prompt, seed, file }] }   (size: width = height; default the model's own)
// An image is written to outDir/file; a clip to the folder outDir/file/ as one PNG per frame
// (00.png, 01.png, ...), filled under another name and renamed when complete, so a folder that exists
// holds a whole clip.
// Prints one JSON line of medians: { images, secondsPerImage, cpuSecondsPerImage } or
// { clips, secondsPerClip, cpuSecondsPerClip }.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEngine } from '@matryoshka/core';

const job = JSON.parse(readFileSync(process.argv[2] === '-' ? 0 : process.argv[2], 'utf8'));
const clip = job.kind === 'clip';
const engine = createEngine({ modelsDir: job.modelsDir, threads: job.threads, defaultModel: job.model });
if (job.read) {
  const kind = clip ? 'clip' : 'image';
  const texts = [];
  for (const prompt of job.prompts) {
    const { text, recolour } = (await engine.readPrompt(prompt, { kind, model: job.model })).interpretation;
    texts.push(recolour ? `${text} [recoloured ${recolour}]` : text);
  }
  console.log(JSON.stringify(texts));
  await engine.close();
  process.exit(0);
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const shape = clip ? { kind: 'clip', format: 'png-frames' } : { format: 'png' };

function writeClip(path, { images, request }) {
  const indices = new Set(images.map((img) => img.frameIndex));
  if (images.length !== request.frames || indices.size !== request.frames) {
    throw new Error(`expected ${request.frames} PNG frames with distinct indices, got ${images.length}`);
  }
  const tmp = `${path}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  for (const img of images) writeFileSync(join(tmp, `${String(img.frameIndex).padStart(2, '0')}.png`), img.bytes);
  rmSync(path, { recursive: true, force: true });
  renameSync(tmp, path);
}

// One throw-away request so that session start-up is not timed as part of the first image.
await engine.generate({ ...shape, prompt: 'warm up', model: job.model, steps: 1, seed: 0 });
const wall = [];
const cpu = [];
for (const item of job.items) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = await engine.generate({
    ...shape,
    prompt: item.prompt,
    model: job.model,
    sampler: job.sampler,
    steps: job.steps,
    guidance: job.guidance,
    seed: item.seed,
    ...(job.size ? { width: job.size, height: job.size } : {}),
  });
  const c = process.cpuUsage(c0);
  wall.push((performance.now() - t0) / 1000);
  cpu.push((c.user + c.system) / 1e6);
  const path = join(job.outDir, item.file);
  if (clip) {
    writeClip(path, result);
  } else {
    writeFileSync(`${path}.tmp`, result.images[0].bytes);
    renameSync(`${path}.tmp`, path);
  }
}
await engine.close();
const n = job.items.length;
console.log(
  JSON.stringify(
    clip
      ? { clips: n, secondsPerClip: median(wall), cpuSecondsPerClip: median(cpu) }
      : { images: n, secondsPerImage: median(wall), cpuSecondsPerImage: median(cpu) },
  ),
);
