import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { pictureRecord } from '../images/picture-record.js';
import { formatImageLink } from '../links/format-image-link.js';
import { onOwnLine } from '../links/own-line.js';
import { relativeLinkPath } from '../links/relative-link-path.js';
import type { Services } from '../services.js';
import type { HistoryEntry } from '../state/history.js';
import { documentContext } from '../ui/document-context.js';

export interface InsertImageArgs {
  /** Absolute path of the image; default: the last generated one (or a pick from the history). */
  path?: string;
  /** Alt text; default: the prompt recorded for the image. */
  alt?: string;
  /** Put the link on a line of its own (the gallery's and the explorer's insert). */
  ownLine?: boolean;
}

/**
 * "Matryoshka: Insert Image at Cursor": a link in the document's own syntax (Markdown, HTML/JSX, …),
 * relative to the document, alt text = the prompt. Replaces the selection, in every cursor; from the
 * gallery or the explorer the link goes on a line of its own.
 */
export async function insertImageCommand(
  services: Services,
  given: InsertImageArgs | vscode.Uri = {},
): Promise<boolean> {
  // From the explorer the argument is the file's URI; a picture chosen there goes on its own line.
  const args: InsertImageArgs = given instanceof vscode.Uri ? { path: given.fsPath, ownLine: true } : given;
  const editor = await services.editors.reveal();
  if (!editor) {
    void vscode.window.showWarningMessage('Matryoshka: open a document to insert the image into.');
    return false;
  }
  const entry = args.path ? entryFor(services, args.path) : await pickEntry(services);
  if (!entry) return false;
  if (!existsSync(entry.path)) {
    await services.history.forget(entry.path);
    void vscode.window.showWarningMessage(`Matryoshka: ${entry.path} no longer exists.`);
    return false;
  }

  const context = documentContext(editor.document);
  const from =
    context.documentPath ?? path.join(context.workspaceFolder ?? path.dirname(entry.path), 'untitled');
  const alt = args.alt ?? (entry.record.prompt || (await recordedPrompt(services, entry.path)));
  const link = formatImageLink(editor.document.languageId, relativeLinkPath(from, entry.path), alt);
  const { document } = editor;
  const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  const inserted = await editor.edit((edit) => {
    for (const selection of editor.selections) {
      const text = args.ownLine
        ? onOwnLine(
            link,
            document.lineAt(selection.start.line).text.slice(0, selection.start.character),
            document.lineAt(selection.end.line).text.slice(selection.end.character),
            eol,
          )
        : link;
      edit.replace(selection, text);
    }
  });
  // The link stays unselected, so the next keystroke does not overwrite it.
  if (inserted) editor.selections = editor.selections.map((s) => new vscode.Selection(s.end, s.end));
  return inserted;
}

async function recordedPrompt(services: Services, file: string): Promise<string> {
  return (await pictureRecord(services.history, file))?.prompt ?? '';
}

function entryFor(services: Services, file: string): HistoryEntry {
  return (
    services.history.entries().find((e) => e.path === file) ?? {
      path: file,
      record: { prompt: '' },
      createdAt: 0,
    }
  );
}

async function pickEntry(services: Services): Promise<HistoryEntry | undefined> {
  const entries = services.history.entries();
  if (entries.length === 0) {
    const choice = await vscode.window.showInformationMessage(
      'Matryoshka: nothing generated yet in this workspace.',
      'Generate Image…',
      'Show Gallery',
    );
    if (choice === 'Generate Image…') void vscode.commands.executeCommand('matryoshka.generateImage');
    if (choice === 'Show Gallery') void vscode.commands.executeCommand('matryoshka.showGallery');
    return undefined;
  }
  // The common case (generate, then insert) needs no question.
  if (entries.length === 1 || Date.now() - (entries[0]?.createdAt ?? 0) < 10 * 60_000) return entries[0];
  const picked = await vscode.window.showQuickPick(
    entries.map((entry) => ({
      label: entry.record.prompt || path.basename(entry.path),
      description: vscode.workspace.asRelativePath(entry.path, false),
      detail: entry.record.seed === undefined ? undefined : `seed ${entry.record.seed}`,
      entry,
    })),
    { title: 'Insert which image?', matchOnDescription: true },
  );
  return picked?.entry;
}
