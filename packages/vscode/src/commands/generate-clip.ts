import * as vscode from 'vscode';
import type { Services } from '../services.js';
import { readSettings } from '../settings/read-settings.js';
import { showError } from '../ui/show-error.js';
import { announce, generateAndSave } from './generate-and-save.js';
import { askPrompt } from './generate-image.js';

/**
 * "Matryoshka: Generate Clip…": a short looping animated WebP, from a clip model bundle. Until one is
 * installed the command says so plainly instead of failing deep inside the engine.
 */
export async function generateClipCommand(
  services: Services,
  args: { prompt?: string } = {},
): Promise<string[]> {
  const editor = services.editors.current();
  const document = editor?.document;
  let models: Awaited<ReturnType<ReturnType<Services['engine']>['listModels']>>;
  try {
    models = await services.engine(document?.uri).listModels();
  } catch (error) {
    showError(error, () => services.output.show());
    return [];
  }
  const settings = readSettings(document?.uri);
  const clipModels = models.filter((m) => m.task === 'clip');
  const model =
    clipModels.find((m) => m.id === settings.model) ?? clipModels.find((m) => !m.fixture) ?? clipModels[0];
  if (!model) {
    const dir = services.engineOptions(document?.uri).modelsDir ?? 'the models folder';
    void vscode.window.showInformationMessage(
      `Matryoshka: no clip model installed. Clips need a model bundle with task "clip" in ${dir}.`,
    );
    return [];
  }
  const prompt = args.prompt ?? (await askPrompt(editor, 'Describe the clip to generate'));
  if (!prompt) return [];
  const saved = await generateAndSave(
    services,
    { kind: 'clip', prompt, model: model.id, format: 'webp', loop: true },
    document,
  );
  if (!saved) return [];
  announce(saved);
  return saved.map((s) => s.path);
}
