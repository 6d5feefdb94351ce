import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.js';

// lite.ts: constants and errors without zod, ONNX Runtime or sharp, for fast-starting front ends.
export default defineConfig(packageConfig({ entry: ['src/index.ts', 'src/lite.ts'] }));
