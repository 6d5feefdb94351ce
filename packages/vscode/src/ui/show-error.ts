import * as vscode from 'vscode';
import { errorMessage } from './error-message.js';

/** Error codes whose fix is a setting, and which one. */
const SETTING_FOR: Record<string, string> = {
  MODEL_NOT_FOUND: 'matryoshka.modelsDir',
  MODEL_CORRUPT: 'matryoshka.modelsDir',
  MODEL_UNSUPPORTED: 'matryoshka.model',
  INVALID_REQUEST: 'matryoshka',
};

/**
 * An error message with the action that fixes it: "Open Settings" at the setting involved, and
 * "Show Log" for the details. Not awaited by callers: the buttons act whenever they are clicked.
 */
export function showError(error: unknown, showLog: () => void, setting?: string): void {
  const target =
    setting ??
    (typeof (error as { code?: unknown })?.code === 'string'
      ? SETTING_FOR[(error as { code: string }).code]
      : undefined);
  const actions = [...(target ? ['Open Settings'] : []), 'Show Log'];
  void vscode.window.showErrorMessage(errorMessage(error), ...actions).then((choice) => {
    if (choice === 'Open Settings')
      void vscode.commands.executeCommand('workbench.action.openSettings', target);
    if (choice === 'Show Log') showLog();
  });
}
