import * as vscode from 'vscode';
import { describeEngineState, type EngineState } from './engine-state.js';

/** The engine's state in the status bar: idle, loading, drawing (with percent) or failed. */
export class EngineStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'matryoshka.engine',
    vscode.StatusBarAlignment.Right,
    100,
  );

  constructor() {
    this.item.name = 'Matryoshka engine';
    this.item.command = 'matryoshka.showGallery';
    this.set({ kind: 'ready' });
    this.item.show();
  }

  set(state: EngineState): void {
    const { text, tooltip } = describeEngineState(state);
    this.item.text = text;
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    this.item.dispose();
  }
}
