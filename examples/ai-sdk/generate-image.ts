// The AI SDK's generateImage on a model that runs in this process. From the repository root, after
// `npm run build`: npx tsx examples/ai-sdk/generate-image.ts
import { writeFile } from 'node:fs/promises';
import { matryoshka } from '@matryoshka/ai-sdk-provider';
import { generateImage } from 'ai';

const { images, warnings } = await generateImage({
  model: matryoshka.image('emoji-64'),
  prompt: 'a rocket',
  n: 2,
  seed: 7,
  size: '256x256',
  providerOptions: { matryoshka: { background: 'transparent', steps: 20 } },
});
for (const [k, image] of images.entries()) {
  await writeFile(`rocket-${k + 1}.png`, image.uint8Array);
  console.log(`rocket-${k + 1}.png`, image.providerMetadata?.matryoshka); // seed replays it exactly
}
console.log(warnings); // e.g. the model draws 64 px, so 256 px is an upscale
await matryoshka.close();
