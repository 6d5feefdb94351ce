import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { DEFAULT_STRENGTH, readPngText } from '@matryoshka/core/lite';
import * as vscode from 'vscode';
import { imageLinkAt } from '../links/image-link-at.js';
import { linkTargetFile } from '../links/link-target-file.js';
import { pictureFile } from '../paths/picture-arg.js';
import { recordFromPngText } from '../png/generation-record.js';
import type { Services } from '../services.js';
import { readSettings } from '../settings/read-settings.js';
import { newSeed, requestFromSettings } from '../settings/request-from-settings.js';
import { announce, generateAndSave } from './generate-and-save.js';

const VARIATIONS = 4;
// The engine reads PNG, JPEG, WebP and AVIF inputs; a larger file is not a picture to vary.
const IMAGE = /\.(png|jpe?g|webp|avif)$/i;
const MAX_INPUT_BYTES = 32 * 1024 * 1024;
const STRENGTHS = [
  { label: 'Close to the picture', description: 'strength 0.4', strength: 0.4 },
  { label: 'Balanced', description: `strength ${DEFAULT_STRENGTH}`, strength: DEFAULT_STRENGTH },
  { label: 'Loose', description: 'strength 0.8', strength: 0.8 },
];

/**
 * "Matryoshka: Variations of This Image": four new pictures that start from an image (one chosen in
 * the explorer, or the image link under the cursor) and keep its layout and colours as far as the
 * chosen strength says. The prompt is the picture's own when it carries a generation record.
 */
export async function variationsCommand(services: Services, target?: unknown): Promise<string[]> {
  const editor = services.editors.current();
  const chosen = pictureFile(target);
  const file = chosen ?? (editor ? linkedFile(editor) : undefined);
  if (!file || !IMAGE.test(file)) {
    void vscode.window.showInformationMessage(
      'Matryoshka: choose a PNG, JPEG, WebP or AVIF file in the explorer, or put the cursor on an image link.',
    );
    return [];
  }
  let bytes: Uint8Array;
  try {
    if ((await stat(file)).size > MAX_INPUT_BYTES) throw new Error('larger than 32 MB');
    bytes = new Uint8Array(await readFile(file));
  } catch (error) {
    void vscode.window.showErrorMessage(
      `Matryoshka: cannot read ${path.basename(file)}: ${(error as Error).message}`,
    );
    return [];
  }
  const record = recordFromPngText(readPngText(bytes, { lenient: true }));
  const prompt =
    record?.prompt ??
    (await vscode.window.showInputBox({
      title: 'Matryoshka: Variations of This Image',
      prompt: `What ${path.basename(file)} shows (the variations are drawn from it)`,
      value: path
        .basename(file, path.extname(file))
        .replace(/[-_\d]+/g, ' ')
        .trim(),
      ignoreFocusOut: true,
    }));
  if (!prompt?.trim()) return [];
  const pick = await vscode.window.showQuickPick(STRENGTHS, {
    title: 'Matryoshka: how far may the variations go from the picture?',
  });
  if (!pick) return [];
  const document = editor?.document;
  const request = {
    ...requestFromSettings(
      prompt,
      readSettings(document?.uri ?? (chosen ? vscode.Uri.file(chosen) : undefined)),
      {
        seed: newSeed(record?.seed),
        ...(record?.model ? { model: record.model } : {}),
      },
    ),
    image: bytes,
    strength: pick.strength,
    count: VARIATIONS,
  };
  const saved = await generateAndSave(services, request, document);
  if (!saved?.length) return [];
  announce(saved);
  return saved.map((s) => s.path);
}

/** The file of the local image link under the cursor, if any. */
function linkedFile(editor: vscode.TextEditor): string | undefined {
  if (editor.document.uri.scheme !== 'file') return undefined;
  const position = editor.selection.active;
  const link = imageLinkAt(editor.document.lineAt(position.line).text, position.character);
  return link ? linkTargetFile(editor.document.uri.fsPath, link.target) : undefined;
}
