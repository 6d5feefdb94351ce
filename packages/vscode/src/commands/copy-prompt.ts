import * as path from 'node:path';
import * as vscode from 'vscode';
import { pictureRecord } from '../images/picture-record.js';
import type { Services } from '../services.js';

/** "Matryoshka: Copy Prompt": the prompt a picture was drawn from, onto the clipboard. */
export async function copyPromptCommand(services: Services, uri?: vscode.Uri): Promise<string | undefined> {
  if (!(uri instanceof vscode.Uri) || uri.scheme !== 'file') {
    void vscode.window.showInformationMessage(
      'Matryoshka: choose a generated picture in the explorer or the gallery.',
    );
    return undefined;
  }
  const prompt = (await pictureRecord(services.history, uri.fsPath))?.prompt;
  if (!prompt) {
    void vscode.window.showInformationMessage(
      `Matryoshka: ${path.basename(uri.fsPath)} has no generation record, so no prompt to copy.`,
    );
    return undefined;
  }
  await vscode.env.clipboard.writeText(prompt);
  vscode.window.setStatusBarMessage(`Matryoshka: copied “${prompt}”`, 4000);
  return prompt;
}
