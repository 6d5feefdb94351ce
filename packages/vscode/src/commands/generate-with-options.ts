import * as path from 'node:path';
import type { ModelInfo } from '@matryoshka/core';
import * as vscode from 'vscode';
import type { SavedImage } from '../images/save-images.js';
import type { Services } from '../services.js';
import { readSettings } from '../settings/read-settings.js';
import { requestFromSettings } from '../settings/request-from-settings.js';
import { COUNT_CHOICES, type RunOptions, SIZE_CHOICES, withRunOptions } from '../settings/run-options.js';
import { announce, generateAndSave } from './generate-and-save.js';
import { askPrompt } from './generate-image.js';

/**
 * "Matryoshka: Generate Image with Options…": the prompt, then this run's number of variants, size and
 * negative prompt (the settings stay as they are); with several variants, a pick of the one to insert.
 */
export async function generateWithOptionsCommand(services: Services): Promise<string[]> {
  const editor = services.editors.current();
  const document = editor?.document;
  const prompt = await askPrompt(editor, 'Describe the image to generate');
  if (!prompt) return [];
  const options = await askRunOptions(services, document?.uri);
  if (!options) return [];
  const request = withRunOptions(requestFromSettings(prompt, readSettings(document?.uri)), options);
  const saved = await generateAndSave(services, request, document);
  if (!saved?.length) return [];
  if (saved.length === 1) announce(saved);
  else await pickAndInsert(saved);
  return saved.map((s) => s.path);
}

async function askRunOptions(
  services: Services,
  scope: vscode.Uri | undefined,
): Promise<RunOptions | undefined> {
  const title = 'Matryoshka: options for this picture';
  const count = await vscode.window.showQuickPick(
    COUNT_CHOICES.map((n) => ({
      label: n === 1 ? '1 picture' : `${n} variants`,
      description: n === 1 ? '' : 'different seeds; pick the one to insert',
      n,
    })),
    { title, placeHolder: 'How many pictures?', ignoreFocusOut: true },
  );
  if (!count) return undefined;
  const native = await nativeResolution(services, scope);
  const size = await vscode.window.showQuickPick(
    SIZE_CHOICES.map((px) => ({
      label: px === 0 ? `Native${native ? ` (${native} px)` : ''}` : `${px} × ${px} px`,
      description:
        px === 0
          ? "the model's own drawing size"
          : native && px > native
            ? 'enlarged from the native drawing (adds no detail)'
            : native && px < native
              ? 'reduced from the native drawing'
              : '',
      px,
    })),
    { title, placeHolder: 'Size', ignoreFocusOut: true },
  );
  if (!size) return undefined;
  const negativePrompt = await vscode.window.showInputBox({
    title,
    prompt: 'What the picture should not show (optional; Enter to skip)',
    placeHolder: 'e.g. text, blur',
    ignoreFocusOut: true,
  });
  if (negativePrompt === undefined) return undefined;
  return { count: count.n, size: size.px, negativePrompt };
}

async function nativeResolution(
  services: Services,
  scope: vscode.Uri | undefined,
): Promise<number | undefined> {
  try {
    const model: ModelInfo = await services.engine(scope).resolveModel('image');
    return model.nativeResolution;
  } catch {
    // No usable model: the generation itself will say so with its fix.
    return undefined;
  }
}

async function pickAndInsert(saved: SavedImage[]): Promise<void> {
  const keep = { label: 'None', description: 'keep them all in the gallery', file: undefined };
  const picked = await vscode.window.showQuickPick(
    [
      ...saved.map((s) => ({
        label: path.basename(s.path),
        description: s.record.seed === undefined ? '' : `seed ${s.record.seed}`,
        detail: vscode.workspace.asRelativePath(s.path, false),
        iconPath: vscode.Uri.file(s.path),
        file: s.path as string | undefined,
      })),
      keep,
    ],
    { title: `Matryoshka: ${saved.length} variants — insert which one?`, ignoreFocusOut: true },
  );
  if (!picked?.file) return;
  await vscode.commands.executeCommand('matryoshka.insertImage', { path: picked.file });
}
