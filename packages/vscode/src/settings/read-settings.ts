import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, type MatryoshkaSettings } from './settings.js';

/** The `matryoshka.*` settings that apply to `scope` (a document), falling back to the defaults. */
export function readSettings(scope?: vscode.Uri): MatryoshkaSettings {
  const config = vscode.workspace.getConfiguration('matryoshka', scope);
  const get = <K extends keyof MatryoshkaSettings>(key: K): MatryoshkaSettings[K] =>
    config.get<MatryoshkaSettings[K]>(key, DEFAULT_SETTINGS[key]);
  return {
    modelsDir: get('modelsDir'),
    model: get('model'),
    outputFolder: get('outputFolder'),
    size: get('size'),
    steps: get('steps'),
    guidance: get('guidance'),
    sampler: get('sampler'),
    threads: get('threads'),
    background: get('background'),
  };
}
