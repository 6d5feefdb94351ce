/** The extension's settings, as read from `matryoshka.*` (see package.json contributes.configuration). */
export interface MatryoshkaSettings {
  modelsDir: string;
  model: string;
  outputFolder: string;
  /** 0: the model's native resolution. */
  size: number;
  /** 0: the model's default. */
  steps: number;
  /** null: the model's default. */
  guidance: number | null;
  /** 'default': the model's default. */
  sampler: string;
  /** 0: the engine's default. */
  threads: number;
  /** Cut the drawing out of its white background, so it sits on any theme or slide. */
  background: 'transparent' | 'white';
}

export const DEFAULT_SETTINGS: MatryoshkaSettings = {
  modelsDir: '',
  model: '',
  outputFolder: '${documentDirName}/images/',
  size: 0,
  steps: 0,
  guidance: null,
  sampler: 'default',
  threads: 0,
  background: 'transparent',
};
