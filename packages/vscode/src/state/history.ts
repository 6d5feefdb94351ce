import type { GenerationRecord } from '../png/generation-record.js';

/** One generated file the user may want to insert or regenerate. */
export interface HistoryEntry {
  /** Absolute file-system path. */
  path: string;
  record: GenerationRecord;
  createdAt: number;
}

/** The subset of vscode.Memento the history needs, so it can be tested without VS Code. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

const KEY = 'matryoshka.history';
const LIMIT = 50;

/** Recently generated images of this workspace, newest first; survives window reloads. */
export class GenerationHistory {
  constructor(private readonly store: KeyValueStore) {}

  entries(): HistoryEntry[] {
    return this.store.get<HistoryEntry[]>(KEY) ?? [];
  }

  latest(): HistoryEntry | undefined {
    return this.entries()[0];
  }

  async add(entries: HistoryEntry[]): Promise<void> {
    const added = new Set(entries.map((e) => e.path));
    const kept = this.entries().filter((e) => !added.has(e.path));
    await this.store.update(KEY, [...entries, ...kept].slice(0, LIMIT));
  }

  async forget(path: string): Promise<void> {
    await this.store.update(
      KEY,
      this.entries().filter((e) => e.path !== path),
    );
  }
}
