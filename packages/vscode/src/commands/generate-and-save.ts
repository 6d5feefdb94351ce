import type { GenerateRequest } from '@matryoshka/core';
import { describeInterpretation } from '@matryoshka/core/lite';
import * as vscode from 'vscode';
import { type SavedImage, saveImages } from '../images/save-images.js';
import { OutputPathError } from '../paths/output-path.js';
import type { Services } from '../services.js';
import { readSettings } from '../settings/read-settings.js';
import { settingsUsable } from '../ui/check-settings-first.js';
import { documentContext } from '../ui/document-context.js';
import { errorMessage } from '../ui/error-message.js';
import { runGeneration } from '../ui/run-generation.js';

/**
 * Generates `request` for `document` (which decides the output folder), saves the files and records
 * them in the history. Undefined when cancelled or failed; the user has been told why.
 */
export async function generateAndSave(
  services: Services,
  request: GenerateRequest,
  document: vscode.TextDocument | undefined,
): Promise<SavedImage[] | undefined> {
  const scope = document?.uri;
  const settings = readSettings(scope);
  const context = documentContext(document);
  if (!context.documentPath && !context.workspaceFolder) {
    void vscode.window.showErrorMessage(
      'Matryoshka: save the document or open a folder first — there is nowhere to put the image.',
    );
    return undefined;
  }
  if (!settingsUsable(scope, document)) return undefined;
  const result = await runGeneration(services, request, scope);
  if (!result) return undefined;
  for (const warning of result.warnings) services.output.warn(warning.message);
  // How the prompt was read ("kitty → cat: synonym"), so a surprising picture explains itself.
  const reading = describeInterpretation(result.interpretation);
  if (reading) {
    services.output.info(`prompt ${reading}`);
    vscode.window.setStatusBarMessage(`Matryoshka: prompt ${reading}`, 10_000);
  }
  try {
    const saved = await saveImages(result, settings.outputFolder, context);
    await services.history.add(saved.map((s) => ({ path: s.path, record: s.record, createdAt: Date.now() })));
    services.output.info(
      `generated ${saved.map((s) => s.path).join(', ')} in ${Math.round(result.timings.totalMs)} ms (model ${result.model})`,
    );
    return saved;
  } catch (error) {
    const message =
      error instanceof OutputPathError ? error.message : `could not save the image: ${errorMessage(error)}`;
    void vscode.window.showErrorMessage(`Matryoshka: ${message}`);
    return undefined;
  }
}

/** "Generated images/apple-12.png" with buttons to insert or open it; not awaited by callers. */
export function announce(saved: SavedImage[]): void {
  const first = saved[0];
  if (!first) return;
  const shown = vscode.workspace.asRelativePath(first.path, false);
  const more = saved.length > 1 ? ` and ${saved.length - 1} more` : '';
  const size = `${first.image.width}×${first.image.height}`;
  void vscode.window
    .showInformationMessage(`Matryoshka: generated ${shown}${more} (${size}).`, 'Insert at Cursor', 'Open')
    .then((choice) => {
      if (choice === 'Insert at Cursor') {
        void vscode.commands.executeCommand('matryoshka.insertImage', { path: first.path });
      } else if (choice === 'Open') {
        void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(first.path), {
          viewColumn: vscode.ViewColumn.Beside,
          preserveFocus: true,
        });
      }
    });
}
