import * as path from 'node:path';
import * as vscode from 'vscode';
import { pictureRecord } from '../images/picture-record.js';
import { pictureFile } from '../paths/picture-arg.js';
import type { Services } from '../services.js';

/** "Matryoshka: Copy Prompt": the prompt a picture was drawn from, onto the clipboard. */
export async function copyPromptCommand(services: Services, target?: unknown): Promise<string | undefined> {
  const file = pictureFile(target);
  if (!file) {
    void vscode.window.showInformationMessage(
      'Matryoshka: choose a generated picture in the explorer or the gallery.',
    );
    return undefined;
  }
  const prompt = (await pictureRecord(services.history, file))?.prompt;
  if (!prompt) {
    void vscode.window.showInformationMessage(
      `Matryoshka: ${path.basename(file)} has no generation record, so no prompt to copy.`,
    );
    return undefined;
  }
  await vscode.env.clipboard.writeText(prompt);
  vscode.window.setStatusBarMessage(`Matryoshka: copied “${prompt}”`, 4000);
  return prompt;
}
