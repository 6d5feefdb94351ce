import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../services.js';
import { galleryHtml } from './gallery-html.js';
import { type GalleryUpdate, isGalleryMessage, type PictureAction } from './gallery-item.js';
import { GALLERY_GLOB, scanGallery } from './scan-gallery.js';

export const GALLERY_VIEW_ID = 'matryoshka.gallery';

/**
 * The gallery as a view in Matryoshka's side bar: this workspace's generated pictures and clips,
 * newest first, each with its actions. It rescans when a picture appears, changes or goes.
 */
export class GalleryView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;
  private pendingHighlight: string | undefined;

  constructor(private readonly services: Services) {
    const watcher = vscode.workspace.createFileSystemWatcher(GALLERY_GLOB);
    for (const event of [watcher.onDidCreate, watcher.onDidDelete, watcher.onDidChange]) {
      event(() => this.scheduleRefresh(), undefined, this.disposables);
    }
    this.disposables.push(watcher);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.onDidReceiveMessage((message) => this.onMessage(message), undefined, this.disposables);
    view.onDidChangeVisibility(() => view.visible && this.scheduleRefresh(), undefined, this.disposables);
    view.onDidDispose(() => (this.view = undefined), undefined, this.disposables);
    void this.refresh();
  }

  /** Opens the view (and with `file`, scrolls to that picture and marks it). */
  async show(file?: string): Promise<void> {
    this.pendingHighlight = file;
    await vscode.commands.executeCommand(`${GALLERY_VIEW_ID}.focus`);
    if (this.view) await this.refresh();
  }

  private async onMessage(message: unknown): Promise<void> {
    if (!isGalleryMessage(message)) return;
    if (message.type === 'refresh') return this.refresh();
    await runPictureAction(this.services, message.type, message.path);
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), 300);
  }

  private async refresh(): Promise<void> {
    const view = this.view;
    if (!view) return;
    const found = await scanGallery(this.services.history);
    // Pictures may live outside the workspace (an absolute matryoshka.outputFolder): allow their folders too.
    const outside = found.map((item) => vscode.Uri.file(path.dirname(item.path)));
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri), ...outside],
    };
    view.webview.html = galleryHtml({
      cspSource: view.webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      items: found.map((item) => ({
        ...item,
        label: vscode.workspace.asRelativePath(item.path, false),
        src: `${view.webview.asWebviewUri(vscode.Uri.file(item.path)).toString()}?v=${Math.round(item.modifiedMs)}`,
      })),
    });
    view.description = `${found.length}`;
    const highlight = this.pendingHighlight;
    this.pendingHighlight = undefined;
    if (highlight)
      void view.webview.postMessage({ type: 'highlight', path: highlight } satisfies GalleryUpdate);
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

// Each card button runs the command that does the same on the file in the explorer.
const ACTION_COMMANDS: Record<Exclude<PictureAction, 'delete'>, string> = {
  insert: 'matryoshka.insertImage',
  open: 'vscode.open',
  copyPrompt: 'matryoshka.copyPrompt',
  regenerate: 'matryoshka.regenerate',
  variations: 'matryoshka.variations',
  reveal: 'revealInExplorer',
};

async function runPictureAction(services: Services, action: PictureAction, file: string): Promise<void> {
  const uri = vscode.Uri.file(file);
  if (action === 'delete') return deletePicture(services, uri);
  await vscode.commands.executeCommand(ACTION_COMMANDS[action], uri);
}

async function deletePicture(services: Services, uri: vscode.Uri): Promise<void> {
  const name = path.basename(uri.fsPath);
  const choice = await vscode.window.showWarningMessage(
    `Move ${name} to the trash?`,
    { modal: true, detail: 'Links to it in your documents will break.' },
    'Move to Trash',
  );
  if (choice !== 'Move to Trash') return;
  try {
    await vscode.workspace.fs.delete(uri, { useTrash: true });
  } catch {
    // No trash on this system (e.g. a bare server): ask before deleting for good.
    const again = await vscode.window.showWarningMessage(
      `There is no trash here. Delete ${name} permanently?`,
      { modal: true },
      'Delete',
    );
    if (again !== 'Delete') return;
    await vscode.workspace.fs.delete(uri, { useTrash: false });
  }
  await services.history.forget(uri.fsPath);
}
