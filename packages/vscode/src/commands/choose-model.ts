import type { ModelInfo } from '@matryoshka/core';
import * as vscode from 'vscode';
import type { Services } from '../services.js';
import { readSettings } from '../settings/read-settings.js';
import { errorMessage } from '../ui/error-message.js';

/**
 * "Matryoshka: Choose Model": a pick of the installed image models (test fixtures left out) that
 * writes `matryoshka.model` — for this workspace when one is open, else for the user.
 */
export async function chooseModelCommand(services: Services): Promise<string | undefined> {
  let models: ModelInfo[];
  try {
    models = (await services.engine().listModels()).filter((m) => m.task === 'image' && !m.fixture);
  } catch (error) {
    void vscode.window.showErrorMessage(`Matryoshka: cannot list the models: ${errorMessage(error)}`);
    return undefined;
  }
  const current = readSettings().model.trim();
  const items = [
    {
      label: 'Engine default',
      description: current ? '' : 'current',
      detail: 'The model core picks (the newest shipped image model).',
      id: '',
    },
    ...models.map((m) => ({
      label: m.name,
      description: `${m.id}${m.id === current ? ' · current' : ''}`,
      detail: `${m.nativeResolution} px native · levels ${m.levels.join('/')} · ${(m.bytesOnDisk / 1e6).toFixed(1)} MB · ${m.license}`,
      id: m.id,
    })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Matryoshka: which model draws the pictures?',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  const target = vscode.workspace.workspaceFolders?.length
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('matryoshka').update('model', picked.id, target);
  vscode.window.setStatusBarMessage(`Matryoshka: model ${picked.id || 'engine default'}`, 4000);
  return picked.id;
}
