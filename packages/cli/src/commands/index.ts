import type { Command } from '../command.js';

export interface CommandEntry {
  name: string;
  summary: string;
  /** Loaded on demand, so `--help` and `--version` never pay for ONNX Runtime and sharp. */
  load: () => Promise<{ default: Command }>;
}

// One line per command. To add one: write commands/<name>.ts with a default-exported
// defineCommand({...}) and register it here.
export const commands: readonly CommandEntry[] = [
  { name: 'generate', summary: 'Turn a text prompt into image files', load: () => import('./generate.js') },
  { name: 'clip', summary: 'Turn a text prompt into a short animated clip', load: () => import('./clip.js') },
  { name: 'icons', summary: 'Make a whole icon set from one generation', load: () => import('./icons.js') },
  { name: 'models', summary: 'List the installed model bundles', load: () => import('./models.js') },
  {
    name: 'slides',
    summary: 'Illustrate a PowerPoint, Marp or Slidev deck',
    load: () => import('./slides.js'),
  },
];
