// The README's API example. Run from the repository root: npx tsx examples/api/generate.ts
import { writeFile } from 'node:fs/promises';
import { createEngine } from '@matryoshka/core';

const engine = createEngine(); // models: $MATRYOSHKA_MODELS, else models/ nearby, else installed model packages
const result = await engine.generate(
  { prompt: 'a red apple', seed: 42, count: 2 },
  { onProgress: (p) => console.log(`image ${p.imageIndex + 1}: step ${p.step}/${p.total}`) },
);
for (const [k, image] of result.images.entries()) await writeFile(`apple-${k + 1}.png`, image.bytes);
console.log(result.request, result.timings, result.warnings); // every default filled in
await engine.close();
