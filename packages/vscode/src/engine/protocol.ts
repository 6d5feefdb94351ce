import type { EngineOptions, GenerateRequest, Progress } from '@matryoshka/core';
import type { DeckProgress, IllustrateOptions } from '@matryoshka/slides';

/** The part of the slide filler's options that crosses the process boundary (no engine, no callbacks). */
export type DeckOptions = Omit<
  IllustrateOptions,
  'engine' | 'onProgress' | 'signal' | 'slides' | 'checkWrite'
> & {
  slides?: string;
};

/** Messages between the extension host and the engine worker process (IPC, structured clone). */
export type HostMessage =
  | { type: 'generate'; id: number; request: GenerateRequest }
  | { type: 'illustrateDeck'; id: number; input: string; options: DeckOptions }
  | { type: 'listModels'; id: number }
  | { type: 'resolveModel'; id: number; kind: 'image' | 'clip' }
  | { type: 'abort'; id: number };

export type WorkerMessage =
  | { type: 'progress'; id: number; progress: Progress }
  | { type: 'deckProgress'; id: number; progress: DeckProgress }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: SerializedError };

/** A MatryoshkaError as plain data: the class does not survive the process boundary. */
export interface SerializedError {
  code: string;
  message: string;
  details?: unknown;
}

/** The worker reads its engine options from this environment variable, as JSON. */
export const WORKER_OPTIONS_ENV = 'MATRYOSHKA_WORKER_OPTIONS';

export type WorkerEngineOptions = Pick<EngineOptions, 'modelsDir' | 'threads' | 'defaultModel'>;
