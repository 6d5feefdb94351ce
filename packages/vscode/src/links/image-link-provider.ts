import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { pictureRecord } from '../images/picture-record.js';
import type { GenerationHistory } from '../state/history.js';
import { imageLinkAt } from './image-link-at.js';
import { commandLink, type LinkPictureAction, linkPictureActions } from './link-picture-actions.js';
import { linkTargetFile } from './link-target-file.js';

/**
 * The picture actions where the pictures are in a document: a hover over a Markdown image link
 * shows the picture's prompt and command links, and the light bulb (Ctrl+.) offers the same actions.
 */
export class ImageLinkActions implements vscode.HoverProvider, vscode.CodeActionProvider {
  static readonly kind = vscode.CodeActionKind.Refactor.append('matryoshka');

  constructor(private readonly history: GenerationHistory) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<vscode.Hover | undefined> {
    const found = await this.linkAt(document, position);
    if (!found?.actions.length) return undefined;
    const { record, actions, range } = found;
    const text = new vscode.MarkdownString();
    // Only these commands may run from the hover's links.
    text.isTrusted = { enabledCommands: actions.map((a) => a.command) };
    text.appendMarkdown('**Matryoshka**');
    if (record) {
      text.appendMarkdown(' · ');
      text.appendText(`“${record.prompt}”`);
      const facts = [record.seed !== undefined ? `seed ${record.seed}` : '', record.model ?? ''].filter(
        Boolean,
      );
      if (facts.length) text.appendText(` (${facts.join(', ')})`);
    }
    text.appendMarkdown(`\n\n${actions.map(commandLink).join(' · ')}`);
    return new vscode.Hover(text, range);
  }

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range): Promise<vscode.CodeAction[]> {
    const found = await this.linkAt(document, range.start);
    return (found?.actions ?? []).map((action) => {
      const item = new vscode.CodeAction(`Matryoshka: ${action.title}`, ImageLinkActions.kind);
      item.command = { title: action.title, command: action.command, arguments: action.args };
      return item;
    });
  }

  private async linkAt(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<
    | {
        actions: LinkPictureAction[];
        record: { prompt: string; seed?: number; model?: string } | undefined;
        range: vscode.Range;
      }
    | undefined
  > {
    if (document.uri.scheme !== 'file') return undefined;
    const link = imageLinkAt(document.lineAt(position.line).text, position.character);
    const file = link && linkTargetFile(document.uri.fsPath, link.target);
    if (!link || !file) return undefined;
    try {
      if (!(await stat(file)).isFile()) return undefined;
    } catch {
      return undefined; // a broken link: nothing to act on
    }
    const record = await pictureRecord(this.history, file);
    const at = { document: document.uri.toString(), line: position.line, character: position.character };
    return {
      actions: linkPictureActions(vscode.Uri.file(file).toString(), Boolean(record?.prompt), at),
      record: record?.prompt ? record : undefined,
      range: new vscode.Range(position.line, link.start, position.line, link.end),
    };
  }
}
