import * as vscode from 'vscode';
import { settingsProblems } from '../settings/check-settings.js';
import { readSettings } from '../settings/read-settings.js';
import { documentContext } from './document-context.js';

/**
 * Checks the settings that apply to `scope` (and the output folder for `document`) before any work starts; on a problem shows it with
 * an "Open Settings" button at that setting and returns false.
 */
export function settingsUsable(scope: vscode.Uri | undefined, document?: vscode.TextDocument): boolean {
  const problems = settingsProblems(readSettings(scope), document ? documentContext(document) : undefined);
  const first = problems[0];
  if (!first) return true;
  const more =
    problems.length > 1
      ? ` (${problems.length - 1} more setting${problems.length > 2 ? 's' : ''} to fix)`
      : '';
  const id = `matryoshka.${first.setting}`;
  void vscode.window
    .showErrorMessage(`Matryoshka: the setting ${id} is not valid: ${first.message}${more}.`, 'Open Settings')
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', id);
    });
  return false;
}
