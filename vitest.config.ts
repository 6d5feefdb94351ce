import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: ONNX sessions and LibreOffice renders contend badly when many files run at once.
    maxWorkers: 2,
  },
});
