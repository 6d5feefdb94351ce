import { MatryoshkaError } from '@matryoshka/core';
import type { FileAccess } from './file-access.js';
import type { OutputFolder } from './output-folder.js';
import type { Runtime } from './runtime.js';

/**
 * What belongs to one connected client: its output folder, its file-access policy and its share of
 * the engine's queue. One client may not fill the shared queue: past `maxQueuePerSession` calls
 * running or waiting, its next call is refused at once while other clients still get their turn.
 */
export class ClientSession {
  private active = 0;

  constructor(
    readonly folder: OutputFolder,
    private readonly runtime: Runtime,
  ) {}

  get access(): FileAccess {
    return this.folder.access;
  }

  /** Counts `job` (which calls the engine) against this session's share for as long as it runs. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    const limit = this.runtime.config.maxQueuePerSession;
    if (this.active >= limit) {
      throw new MatryoshkaError(
        'BUSY',
        `this client already has ${this.active} call(s) running or waiting (the limit per session is ${limit}); wait for one to finish`,
        { details: { active: this.active, limit } },
      );
    }
    this.active++;
    try {
      return await job();
    } finally {
      this.active--;
    }
  }
}
