// Bundles the extension into two files: dist/extension.js (CommonJS, loaded by the extension host)
// and dist/worker.mjs (the engine process, ESM). Native modules stay external: they ship in the
// .vsix's node_modules for the target platform. @matryoshka/* resolve to their sources, so the
// extension builds without building the other packages first.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const alias = {
  '@matryoshka/core/lite': here('../../core/src/lite.ts'),
  '@matryoshka/core': here('../../core/src/index.ts'),
};
if (existsSync(here('../../slides/src/index.ts'))) {
  alias['@matryoshka/slides/flavor'] = here('../../slides/src/flavor.ts');
  alias['@matryoshka/slides'] = here('../../slides/src/index.ts');
}
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  minify: production,
  alias,
  logLevel: 'warning',
  absWorkingDir: here('..'),
};

await build({
  ...common,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  format: 'cjs',
  external: ['vscode'],
});

await build({
  ...common,
  entryPoints: ['src/engine/worker.ts'],
  outfile: 'dist/worker.mjs',
  format: 'esm',
  external: ['onnxruntime-node', 'sharp'],
  // Bundled CommonJS code calls require(); ESM output has none unless we make one.
  banner: {
    js: "import { createRequire as __mCreateRequire } from 'node:module'; const require = __mCreateRequire(import.meta.url);",
  },
});

console.log('built dist/extension.js and dist/worker.mjs');
