import * as vscode from 'vscode';
import type { DocumentContext } from '../paths/output-path.js';

/** Where images for `document` belong: its own folder, or the workspace when it is untitled. */
export function documentContext(document: vscode.TextDocument | undefined): DocumentContext {
  const folder =
    (document && vscode.workspace.getWorkspaceFolder(document.uri)) ?? vscode.workspace.workspaceFolders?.[0];
  const context: DocumentContext = {};
  if (document?.uri.scheme === 'file') context.documentPath = document.uri.fsPath;
  if (folder?.uri.scheme === 'file') context.workspaceFolder = folder.uri.fsPath;
  return context;
}

/** The text editor the user was last typing in, even while a webview or notification has focus. */
export class EditorTracker implements vscode.Disposable {
  private last: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly subscription = vscode.window.onDidChangeActiveTextEditor((editor) => {
    if (editor) this.last = editor;
  });

  /** The active editor, else the last one that is still open. */
  current(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active) return active;
    if (this.last && !this.last.document.isClosed) return this.last;
    return undefined;
  }

  /** Brings the last editor back to the front (e.g. after a click in the gallery) and returns it. */
  async reveal(): Promise<vscode.TextEditor | undefined> {
    const editor = this.current();
    if (!editor) return undefined;
    if (vscode.window.visibleTextEditors.includes(editor)) return editor;
    return vscode.window.showTextDocument(editor.document, {
      viewColumn: editor.viewColumn,
      selection: editor.selection,
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
