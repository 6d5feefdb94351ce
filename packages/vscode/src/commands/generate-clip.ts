import * as vscode from 'vscode';
import type { Services } from '../services.js';
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
  // Asked before the prompt, so a missing clip model is said at once; core makes the choice.
  try {
    await services.engine(document?.uri).resolveModel('clip');
  } catch (error) {
    if ((error as { code?: string }).code === 'MODEL_NOT_FOUND') {
      void vscode.window.showInformationMessage(
        `Matryoshka: no clip model installed. ${(error as Error).message}`,
      );
    } else {
      showError(error, () => services.output.show());
    }
    return [];
  }
  const prompt = args.prompt ?? (await askPrompt(editor, 'Describe the clip to generate'));
  if (!prompt) return [];
  const saved = await generateAndSave(
    services,
    // Core chooses the clip model (matryoshka.model, when it is a clip model, else the shipped one).
    { kind: 'clip', prompt, format: 'webp', loop: true },
    document,
  );
  if (!saved) return [];
  announce(saved);
  return saved.map((s) => s.path);
}
