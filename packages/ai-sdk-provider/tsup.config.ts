import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.js';

export default defineConfig(packageConfig({ entry: ['src/index.ts'] }));
