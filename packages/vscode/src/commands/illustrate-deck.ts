import * as vscode from 'vscode';
import type { Services } from '../services.js';

/** "Matryoshka: Illustrate Slide Deck": fills the image placeholders of a Marp/Slidev deck or a PPTX. */
export async function illustrateDeckCommand(_services: Services, _uri?: vscode.Uri): Promise<void> {
  void vscode.window.showInformationMessage('Matryoshka: the slide filler is not part of this build yet.');
}
