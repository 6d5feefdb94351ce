import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { readPngText } from '@matryoshka/core/lite';
import * as vscode from 'vscode';
import { pictureRecord } from '../images/picture-record.js';
import { formatImageLink } from '../links/format-image-link.js';
import { imageLinkAt } from '../links/image-link-at.js';
import { isLinkLocation, type LinkLocation } from '../links/link-picture-actions.js';
import { linkTargetFile } from '../links/link-target-file.js';
import { relativeLinkPath } from '../links/relative-link-path.js';
import { pictureFile } from '../paths/picture-arg.js';
import { type GenerationRecord, recordFromPngText } from '../png/generation-record.js';
import type { Services } from '../services.js';
import { readSettings } from '../settings/read-settings.js';
import { newSeed, requestFromSettings } from '../settings/request-from-settings.js';
import { announce, generateAndSave } from './generate-and-save.js';

/**
 * "Matryoshka: Regenerate with a New Seed". On a picture chosen in the explorer or the gallery, it
 * regenerates that picture (saved where new pictures go); on an image link whose file carries a
 * generation record (the one under the cursor, or the one a hover or code action names), it
 * regenerates that picture and points the link at the new file; elsewhere it regenerates the last
 * image generated in this workspace.
 */
export async function regenerateCommand(services: Services, target?: unknown): Promise<string[]> {
  const at = isLinkLocation(target) ? target : undefined;
  const editor = at ? await editorAt(at) : services.editors.current();
  const chosen = at ? undefined : pictureFile(target);
  const position = at ? new vscode.Position(at.line, at.character) : editor?.selection.active;
  const underCursor = !chosen && editor && position ? await linkedRecord(editor, position) : undefined;
  const source = chosen
    ? await pictureRecord(services.history, chosen)
    : (underCursor?.record ?? services.history.latest()?.record);
  if (!source?.prompt) {
    void vscode.window.showInformationMessage(
      chosen
        ? `Matryoshka: ${path.basename(chosen)} has no generation record (no prompt to draw again).`
        : 'Matryoshka: nothing to regenerate — put the cursor on a generated image link, or generate an image first.',
    );
    return [];
  }
  const settings = readSettings(editor?.document.uri);
  const request = requestFromSettings(source.prompt, settings, {
    seed: newSeed(source.seed),
    ...(source.negativePrompt ? { negativePrompt: source.negativePrompt } : {}),
    ...(source.model ? { model: source.model } : {}),
  });
  // Keep the picture's own size, steps and sampler: only the seed is meant to change.
  if (source.width) request.width = source.width;
  if (source.height) request.height = source.height;
  if (source.steps) request.steps = source.steps;
  if (source.guidance !== undefined) request.guidance = source.guidance;
  if (source.sampler === 'ddpm' || source.sampler === 'ddim' || source.sampler === 'dpmpp-2m') {
    request.sampler = source.sampler;
  }

  const saved = await generateAndSave(services, request, editor?.document);
  const first = saved?.[0];
  if (!saved || !first) return [];
  if (editor && underCursor && editor.document.uri.scheme === 'file') {
    const link = formatImageLink(
      editor.document.languageId,
      relativeLinkPath(editor.document.uri.fsPath, first.path),
      // Keep alt text the user wrote; an empty one gets the prompt.
      underCursor.alt || source.prompt,
    );
    await editor.edit((edit) => edit.replace(underCursor.range, link));
  } else {
    announce(saved);
  }
  return saved.map((s) => s.path);
}

/** The editor showing the document a link location names, opened if it is not showing. */
async function editorAt(at: LinkLocation): Promise<vscode.TextEditor | undefined> {
  const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === at.document);
  if (shown) return shown;
  try {
    return await vscode.window.showTextDocument(vscode.Uri.parse(at.document, true), { preview: false });
  } catch {
    return undefined;
  }
}

async function linkedRecord(
  editor: vscode.TextEditor,
  position: vscode.Position,
): Promise<{ record: GenerationRecord; range: vscode.Range; alt: string | undefined } | undefined> {
  if (position.line >= editor.document.lineCount || editor.document.uri.scheme !== 'file') return undefined;
  const line = editor.document.lineAt(position.line).text;
  const link = imageLinkAt(line, position.character);
  const file = link && linkTargetFile(editor.document.uri.fsPath, link.target);
  if (!link || !file) return undefined;
  try {
    const record = recordFromPngText(readPngText(await readFile(file), { lenient: true }));
    if (!record) return undefined;
    return {
      record,
      range: new vscode.Range(position.line, link.start, position.line, link.end),
      alt: link.alt,
    };
  } catch {
    return undefined;
  }
}
