import * as path from 'node:path';
import type { DeckReport } from '@matryoshka/slides';
import * as vscode from 'vscode';
import type { Services } from '../services.js';
import { readSettings } from '../settings/read-settings.js';
import { requestFromSettings } from '../settings/request-from-settings.js';
import { settingsUsable } from '../ui/check-settings-first.js';
import { isCancellation } from '../ui/error-message.js';
import { showError } from '../ui/show-error.js';
import { deckSummary } from './deck-summary.js';

const DECK = /\.(pptx|md|markdown)$/i;

/**
 * "Matryoshka: Illustrate Slide Deck": gives every slide without a picture one drawn from its text,
 * through @matryoshka/slides, for the open Marp/Slidev Markdown deck, a deck chosen in the explorer,
 * or a .pptx picked from disk. The deck itself is never modified: the result is a `.illustrated` copy.
 */
export async function illustrateDeckCommand(
  services: Services,
  uri?: vscode.Uri,
): Promise<DeckReport | undefined> {
  const deck = await chooseDeck(services, uri);
  if (!deck) return undefined;
  if (!settingsUsable(deck)) return undefined;
  const settings = readSettings(deck);
  const { kind: _kind, prompt: _prompt, format: _format, ...request } = requestFromSettings('-', settings);
  const name = path.basename(deck.fsPath);
  const illustrate = (overwrite: boolean) =>
    vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Matryoshka: illustrating ${name}`,
        cancellable: true,
      },
      async (progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        try {
          progress.report({ message: 'reading the deck…' });
          return await services.engine(deck).illustrateDeck(
            deck.fsPath,
            { request, overwrite },
            {
              signal: controller.signal,
              onProgress: (p) => {
                const done = p.overall.total === 0 ? 100 : (p.overall.completed / p.overall.total) * 100;
                const message = `slide ${p.slide} (${Math.min(p.done + 1, p.total)} of ${p.total}), step ${p.step} of ${p.steps}`;
                progress.report({ message, increment: Math.max(0, done - reported) });
                reported = Math.max(reported, done);
              },
            },
          );
        } finally {
          cancel.dispose();
        }
      },
    );
  let report: DeckReport;
  try {
    report = await Promise.resolve(illustrate(false)).catch(async (error: unknown) => {
      // An earlier run's copy is the user's file now: replace it only when they say so.
      const existing = existingOutput(error);
      if (existing === undefined) throw error;
      const replace = 'Replace';
      const choice = await vscode.window.showWarningMessage(
        `${path.basename(existing)} already exists. Replace it with a newly illustrated copy?`,
        { modal: true },
        replace,
      );
      if (choice !== replace) throw Object.assign(new Error('cancelled'), { code: 'ABORTED' });
      return illustrate(true);
    });
  } catch (error) {
    if (isCancellation(error)) {
      vscode.window.setStatusBarMessage('Matryoshka: illustration cancelled; the deck is unchanged', 5000);
      return undefined;
    }
    services.output.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    showError(error, () => services.output.show());
    return undefined;
  }

  for (const slide of report.slides)
    services.output.info(
      `${name} slide ${slide.slide}: ${slide.status}${slide.detail ? ` (${slide.detail})` : ''}`,
    );
  for (const warning of report.warnings) services.output.warn(warning);
  const summary = deckSummary(report);
  if (!report.output) {
    void vscode.window.showInformationMessage(`Matryoshka: ${summary}`);
    return report;
  }
  const output = vscode.Uri.file(report.output);
  const open = report.format === 'pptx' ? 'Reveal in Explorer' : 'Open';
  void vscode.window.showInformationMessage(`Matryoshka: ${summary}`, open, 'Show Details').then((choice) => {
    if (choice === 'Open') void vscode.window.showTextDocument(output);
    if (choice === 'Reveal in Explorer') void vscode.commands.executeCommand('revealInExplorer', output);
    if (choice === 'Show Details') services.output.show(true);
  });
  return report;
}

async function chooseDeck(services: Services, uri: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  if (uri?.scheme === 'file' && DECK.test(uri.fsPath)) return uri;
  const document = services.editors.current()?.document;
  if (document && document.uri.scheme === 'file' && DECK.test(document.uri.fsPath)) {
    // The filler reads the file from disk: unsaved edits would be silently left out.
    if (document.isDirty && !(await document.save())) return undefined;
    return document.uri;
  }
  const picked = await vscode.window.showOpenDialog({
    title: 'Illustrate which slide deck?',
    canSelectMany: false,
    filters: { 'Slide decks': ['pptx', 'md'] },
    ...(vscode.workspace.workspaceFolders?.[0]
      ? { defaultUri: vscode.workspace.workspaceFolders[0].uri }
      : {}),
  });
  return picked?.[0];
}

/** The path of an output that exists, when that is why the run stopped (before anything was drawn). */
function existingOutput(error: unknown): string | undefined {
  const e = error as { code?: string; message?: string; details?: { path?: unknown } };
  if (e?.code !== 'INVALID_REQUEST' || !/already exists/.test(e.message ?? '')) return undefined;
  return typeof e.details?.path === 'string' ? e.details.path : undefined;
}
