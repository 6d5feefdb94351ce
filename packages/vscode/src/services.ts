import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EngineClient } from './engine/engine-client.js';
import type { WorkerEngineOptions } from './engine/protocol.js';
import { resolveModelsDir } from './settings/models-dir.js';
import { readSettings } from './settings/read-settings.js';
import { GenerationHistory } from './state/history.js';
import { EditorTracker } from './ui/document-context.js';
import { EngineStatus } from './ui/engine-status.js';

/** What every command needs: the engine process and its status, the log, the history and the last text editor. */
export class Services implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel('Matryoshka', { log: true });
  readonly history: GenerationHistory;
  readonly editors = new EditorTracker();
  readonly status = new EngineStatus();
  private client: EngineClient | undefined;
  private clientKey = '';
  private readonly configListener: vscode.Disposable;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.history = new GenerationHistory(context.workspaceState);
    // A new models folder or thread count needs a new engine process; the old one finishes what it
    // is doing first, so changing a setting never cancels a running generation.
    this.configListener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('matryoshka')) this.releaseEngine();
    });
  }

  /** The engine for the current settings, started on first use. */
  engine(scope?: vscode.Uri): EngineClient {
    const options = this.engineOptions(scope);
    const key = JSON.stringify(options);
    if (this.client && key === this.clientKey) return this.client;
    this.releaseEngine();
    this.output.info(`starting the engine process with ${key}`);
    this.client = new EngineClient({
      workerPath: path.join(this.context.extensionPath, 'dist', 'worker.mjs'),
      engine: options,
      log: (text) => this.output.info(text.trimEnd()),
    });
    this.clientKey = key;
    return this.client;
  }

  engineOptions(scope?: vscode.Uri): WorkerEngineOptions {
    const settings = readSettings(scope);
    const folder =
      (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? vscode.workspace.workspaceFolders?.[0];
    const modelsDir = resolveModelsDir({
      setting: settings.modelsDir,
      workspaceFolder: folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined,
      bundledModelsDir: this.bundledModelsDir(),
      env: process.env,
    });
    const options: WorkerEngineOptions = {};
    if (modelsDir) options.modelsDir = modelsDir;
    if (settings.model.trim()) options.defaultModel = settings.model.trim();
    if (settings.threads > 0) options.threads = settings.threads;
    return options;
  }

  /** `models/` inside the installed extension, if the package ships at least one bundle. */
  private bundledModelsDir(): string | undefined {
    const dir = path.join(this.context.extensionPath, 'models');
    try {
      const hasBundle = readdirSync(dir).some((id) => existsSync(path.join(dir, id, 'manifest.json')));
      return hasBundle ? dir : undefined;
    } catch {
      return undefined;
    }
  }

  private releaseEngine(): void {
    this.client?.retire();
    this.client = undefined;
    this.clientKey = '';
  }

  dispose(): void {
    this.client?.dispose();
    this.client = undefined;
    this.configListener.dispose();
    this.editors.dispose();
    this.status.dispose();
    this.output.dispose();
  }
}
