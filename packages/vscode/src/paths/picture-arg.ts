import * as vscode from 'vscode';

/**
 * The local picture a command was run on: a URI from the explorer, the gallery or a code action, or
 * a URI string from a hover's command link (which carries its arguments as JSON text).
 */
export function pictureFile(arg: unknown): string | undefined {
  let uri: vscode.Uri | undefined;
  if (arg instanceof vscode.Uri) uri = arg;
  else if (typeof arg === 'string') {
    try {
      uri = vscode.Uri.parse(arg, true);
    } catch {
      return undefined;
    }
  }
  return uri?.scheme === 'file' ? uri.fsPath : undefined;
}
