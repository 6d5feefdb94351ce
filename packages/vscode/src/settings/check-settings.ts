import { MAX_GUIDANCE, MAX_SIZE, MAX_STEPS, MODEL_ID_PATTERN, SAMPLERS } from '@matryoshka/core/lite';
import { type DocumentContext, OutputPathError, resolveOutputPath } from '../paths/output-path.js';
import type { MatryoshkaSettings } from './settings.js';

export interface SettingProblem {
  /** The setting's id without the `matryoshka.` prefix, e.g. "steps". */
  setting: keyof MatryoshkaSettings;
  message: string;
}

const isInt = (v: unknown, min: number, max: number) =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/**
 * Everything wrong with the settings, found before any work starts: a value the engine would refuse
 * is named here instead of being silently replaced by a default after a full generation.
 */
export function settingsProblems(settings: MatryoshkaSettings, context?: DocumentContext): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const problem = (setting: keyof MatryoshkaSettings, message: string) => problems.push({ setting, message });
  const model = settings.model.trim();
  if (model !== '' && !(MODEL_ID_PATTERN.test(model) && model.length <= 100)) {
    problem('model', `"${model}" is not a model id (lower-case letters, digits, . _ -), e.g. "emoji-256"`);
  }
  if (settings.size !== 0 && !isInt(settings.size, 8, MAX_SIZE)) {
    problem(
      'size',
      `${settings.size} is not a size: use 0 (the model's own) or a whole number from 8 to ${MAX_SIZE}`,
    );
  }
  if (settings.steps !== 0 && !isInt(settings.steps, 1, MAX_STEPS)) {
    problem('steps', `${settings.steps} is not a step count: use 0 (the model's own) or 1 to ${MAX_STEPS}`);
  }
  const g = settings.guidance;
  if (g !== null && !(typeof g === 'number' && Number.isFinite(g) && g >= 0 && g <= MAX_GUIDANCE)) {
    problem(
      'guidance',
      `${g} is not a guidance scale: leave it empty (the model's own) or use 0 to ${MAX_GUIDANCE}`,
    );
  }
  if (settings.sampler !== 'default' && !(SAMPLERS as readonly string[]).includes(settings.sampler)) {
    problem('sampler', `"${settings.sampler}" is not a sampler: use default, ${SAMPLERS.join(', ')}`);
  }
  if (settings.threads !== 0 && !isInt(settings.threads, 1, 256)) {
    problem('threads', `${settings.threads} is not a thread count: use 0 (all cores) or 1 to 256`);
  }
  if (settings.background !== 'white' && settings.background !== 'transparent') {
    problem('background', `"${String(settings.background)}" is not a background: use transparent or white`);
  }
  if (context && (context.documentPath || context.workspaceFolder)) {
    try {
      resolveOutputPath(settings.outputFolder, context, 'probe.png');
    } catch (error) {
      if (!(error instanceof OutputPathError)) throw error;
      problem('outputFolder', error.message);
    }
  }
  return problems;
}
