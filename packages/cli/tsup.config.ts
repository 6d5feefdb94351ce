import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config';

// An executable, not a library: ESM only, no type declarations. @matryoshka/core stays external so
// the CLI and other front ends share one engine build.
export default defineConfig(packageConfig({ entry: ['src/main.ts'], format: ['esm'], dts: false }));
