import type { GenerateRequest, GenerateResult } from '@matryoshka/core';
import * as vscode from 'vscode';
import type { Services } from '../services.js';
import { errorMessage, isCancellation } from './error-message.js';
import { showError } from './show-error.js';

/**
 * Runs one request behind a cancellable progress notification. Cancel aborts the engine. Returns
 * undefined when the user cancelled or the engine failed (the failure is shown as a message).
 */
export async function runGeneration(
  services: Services,
  request: GenerateRequest,
  scope: vscode.Uri | undefined,
): Promise<GenerateResult | undefined> {
  const title = `Matryoshka: generating “${ellipsis(request.prompt, 40)}”`;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        const prompt = ellipsis(request.prompt, 40);
        try {
          progress.report({ message: 'loading the model…' });
          services.status.set({ kind: 'loading', prompt });
          return await services.engine(scope).generate(request, {
            signal: controller.signal,
            onProgress: (p) => {
              const count = request.count ?? 1;
              const done = (p.overall.completed / p.overall.total) * 100;
              const image = count > 1 ? ` — image ${p.imageIndex + 1} of ${count}` : '';
              progress.report({
                message: `step ${p.step} of ${p.total}${image}`,
                increment: done - reported,
              });
              reported = done;
              services.status.set({ kind: 'working', prompt, percent: done });
            },
          });
        } finally {
          cancel.dispose();
        }
      },
    );
    services.status.set({ kind: 'ready' });
    return result;
  } catch (error) {
    if (isCancellation(error)) {
      services.status.set({ kind: 'ready' });
      vscode.window.setStatusBarMessage('Matryoshka: generation cancelled', 4000);
      return undefined;
    }
    services.status.set({ kind: 'failed', message: errorMessage(error) });
    services.output.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    showError(error, () => services.output.show());
    return undefined;
  }
}

function ellipsis(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
