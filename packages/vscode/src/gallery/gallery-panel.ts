import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../services.js';
import { galleryHtml } from './gallery-html.js';
import { isGalleryMessage } from './gallery-item.js';
import { scanGallery } from './scan-gallery.js';

/** The single gallery webview; showing it again reveals and refreshes it. */
export class GalleryPanel implements vscode.Disposable {
  private static current: GalleryPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;

  static show(services: Services): void {
    if (GalleryPanel.current) {
      GalleryPanel.current.panel.reveal(undefined, true);
      void GalleryPanel.current.refresh();
      return;
    }
    GalleryPanel.current = new GalleryPanel(services);
  }

  private readonly panel: vscode.WebviewPanel;

  private constructor(private readonly services: Services) {
    // Pictures may live outside the workspace (an absolute matryoshka.outputFolder): allow their folders too.
    const outside = services.history.entries().map((e) => vscode.Uri.file(path.dirname(e.path)));
    const roots = [...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri), ...outside];
    this.panel = vscode.window.createWebviewPanel(
      'matryoshka.gallery',
      'Matryoshka Gallery',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: roots, retainContextWhenHidden: false },
    );
    this.panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
    this.panel.webview.onDidReceiveMessage((message) => this.onMessage(message), undefined, this.disposables);
    // New or deleted pictures show up without a manual refresh.
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.png');
    for (const event of [watcher.onDidCreate, watcher.onDidDelete, watcher.onDidChange]) {
      event(() => this.scheduleRefresh(), undefined, this.disposables);
    }
    this.disposables.push(watcher);
    void this.refresh();
  }

  private async onMessage(message: unknown): Promise<void> {
    if (!isGalleryMessage(message)) return;
    if (message.type === 'refresh') return this.refresh();
    if (message.type === 'open') {
      await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(message.path));
      return;
    }
    const record = (await scanGallery(this.services.history)).find(
      (item) => item.path === message.path,
    )?.record;
    await vscode.commands.executeCommand('matryoshka.insertImage', {
      path: message.path,
      ...(record ? { alt: record.prompt } : {}),
    });
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), 500);
  }

  private async refresh(): Promise<void> {
    const found = await scanGallery(this.services.history);
    const webview = this.panel.webview;
    webview.html = galleryHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      items: found.map((item) => ({
        ...item,
        label: vscode.workspace.asRelativePath(item.path, false),
        src: `${webview.asWebviewUri(vscode.Uri.file(item.path)).toString()}?v=${Math.round(item.modifiedMs)}`,
      })),
    });
    this.panel.title = `Matryoshka Gallery (${found.length})`;
  }

  dispose(): void {
    GalleryPanel.current = undefined;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
