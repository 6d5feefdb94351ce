import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.js';

// flavor.ts: deck detection alone, for editors (VS Code) that must not load the deck machinery.
export default defineConfig(packageConfig({ entry: ['src/index.ts', 'src/flavor.ts'] }));
