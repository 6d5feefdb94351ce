import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources, so a package's tests never depend on another package's build.
    alias: {
      // Before '@matryoshka/core', which would otherwise claim the subpath as a prefix.
      '@matryoshka/core/lite': fileURLToPath(new URL('./packages/core/src/lite.ts', import.meta.url)),
      '@matryoshka/core': src('core'),
      '@matryoshka/slides/flavor': fileURLToPath(new URL('./packages/slides/src/flavor.ts', import.meta.url)),
      '@matryoshka/slides': src('slides'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: ONNX sessions and LibreOffice renders contend badly when many files run at once.
    maxWorkers: 2,
  },
});
