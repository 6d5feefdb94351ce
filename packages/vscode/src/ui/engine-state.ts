/** What the status bar says about the engine. */
export type EngineState =
  | { kind: 'ready' }
  | { kind: 'loading'; prompt: string }
  | { kind: 'working'; prompt: string; percent: number }
  | { kind: 'failed'; message: string };

/** The status-bar text, tooltip and icon for a state (pure, so it is tested without an editor). */
export function describeEngineState(state: EngineState): { text: string; tooltip: string } {
  switch (state.kind) {
    case 'ready':
      return { text: '$(file-media) Matryoshka', tooltip: 'Matryoshka: ready — click for the gallery' };
    case 'loading':
      return {
        text: '$(loading~spin) Matryoshka',
        tooltip: `Matryoshka: loading the model for “${state.prompt}”`,
      };
    case 'working':
      return {
        text: `$(loading~spin) Matryoshka ${Math.round(state.percent)}%`,
        tooltip: `Matryoshka: drawing “${state.prompt}”`,
      };
    case 'failed':
      return { text: '$(warning) Matryoshka', tooltip: `Matryoshka: the last run failed — ${state.message}` };
  }
}
