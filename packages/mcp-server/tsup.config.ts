import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.js';

// One build (not an array of configs) so `clean` cannot race with a sibling build's output.
export default defineConfig(
  packageConfig({ entry: ['src/index.ts', 'src/cli.ts'], dts: { entry: ['src/index.ts'] } }),
);
