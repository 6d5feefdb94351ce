import { defineConfig, type Options } from 'tsup';

/** Shared tsup settings; each package's own tsup.config.ts names its entry points. */
export const packageConfig = (overrides: Options = {}): Options => ({
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  ...overrides,
});

export default defineConfig(packageConfig({ entry: [] }));
