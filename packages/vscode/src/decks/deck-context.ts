import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import { DECK_GLOB, DECK_HEAD_BYTES, isDeck } from './is-deck.js';

/** Context key listing the workspace's decks; menus show "Illustrate Slide Deck" only on them. */
export const DECK_PATHS_KEY = 'matryoshka.deckPaths';
// Read one by one, 4 KB each, after start-up: a large workspace costs a few MB of reads at most.
const MAX_FILES = 2000;

async function readHead(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(DECK_HEAD_BYTES);
    const { bytesRead } = await file.read(buffer, 0, DECK_HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await file.close();
  }
}

/**
 * Keeps DECK_PATHS_KEY up to date as deck files are created, saved and deleted. Both spellings of a
 * path are listed: `resourcePath` in a `when` clause is the URI's path, and on Windows that differs
 * from the file-system path.
 */
export function watchDeckPaths(): vscode.Disposable {
  const decks = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const publish = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const paths = [...decks].flatMap((p) => [p, vscode.Uri.file(p).path]);
      void vscode.commands.executeCommand('setContext', DECK_PATHS_KEY, [...new Set(paths)]);
    }, 100);
  };
  const update = async (uri: vscode.Uri) => {
    if (uri.scheme !== 'file') return;
    if (await isDeck(uri.fsPath, readHead)) decks.add(uri.fsPath);
    else decks.delete(uri.fsPath);
    publish();
  };
  void vscode.workspace.findFiles(DECK_GLOB, '**/node_modules/**', MAX_FILES).then(async (uris) => {
    for (const uri of uris) await update(uri);
    publish();
  });
  const watcher = vscode.workspace.createFileSystemWatcher(DECK_GLOB);
  return vscode.Disposable.from(
    watcher,
    watcher.onDidCreate(update),
    watcher.onDidChange(update),
    watcher.onDidDelete((uri) => {
      decks.delete(uri.fsPath);
      publish();
    }),
    // An unsaved edit that adds `marp: true` counts once it is saved; so does a new untitled deck.
    vscode.workspace.onDidSaveTextDocument((doc) => update(doc.uri)),
    { dispose: () => clearTimeout(timer) },
  );
}
