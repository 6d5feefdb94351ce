import * as vscode from 'vscode';
import type { Services } from '../services.js';
import { readSettings } from '../settings/read-settings.js';
import { requestFromSettings } from '../settings/request-from-settings.js';
import { announce, generateAndSave } from './generate-and-save.js';

/** Arguments other extensions (and tests) may pass to `matryoshka.generateImage`. */
export interface GenerateImageArgs {
  prompt?: string;
  negativePrompt?: string;
  seed?: number;
  model?: string;
}

/** "Matryoshka: Generate Image…": asks for a prompt (prefilled from the selection). Returns the saved paths. */
export async function generateImageCommand(
  services: Services,
  args: GenerateImageArgs = {},
): Promise<string[]> {
  const editor = services.editors.current();
  const document = editor?.document;
  const prompt = args.prompt ?? (await askPrompt(editor, 'Describe the image to generate'));
  if (!prompt) return [];
  const request = requestFromSettings(prompt, readSettings(document?.uri), args);
  const saved = await generateAndSave(services, request, document);
  if (!saved) return [];
  announce(saved);
  return saved.map((s) => s.path);
}

export async function askPrompt(
  editor: vscode.TextEditor | undefined,
  title: string,
): Promise<string | undefined> {
  const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
  const value = await vscode.window.showInputBox({
    title,
    prompt: 'Matryoshka runs on this machine; nothing is sent anywhere.',
    placeHolder: 'a red apple on a wooden table',
    value: selected.replace(/\s+/g, ' ').trim().slice(0, 2000),
    ignoreFocusOut: true,
    validateInput: (text) =>
      text.trim() === ''
        ? 'Describe what to draw.'
        : text.length > 2000
          ? 'At most 2000 characters.'
          : undefined,
  });
  return value?.trim() || undefined;
}
