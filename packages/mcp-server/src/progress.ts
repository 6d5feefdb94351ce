import type { Progress } from '@matryoshka/core';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from './log.js';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface ProgressReporter {
  /** Tells the client the job waits behind others (progress 0, so the first step can still increase it). */
  queued(ahead: number): void;
  /** For the engine's `onProgress`: one notification per denoising step. */
  step(progress: Progress): void;
  /** Any other rising count (the caller keeps it rising). */
  raw(progress: number, total: number, message: string): void;
}

/**
 * Turns the engine's per-image steps into one rising counter over the whole request
 * (image k, step s of N → k·N + s of count·N), as the protocol requires progress to only increase.
 * Without a progress token the client asked for none, and none is sent.
 */
export function progressReporter(extra: ToolExtra, count: number, log: Logger): ProgressReporter {
  const token = extra._meta?.progressToken;
  const send = (progress: number, total: number | undefined, message: string) => {
    if (token === undefined || extra.signal.aborted) return;
    extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken: token, progress, ...(total === undefined ? {} : { total }), message },
      })
      .catch((error: unknown) => log.debug(`progress notification failed: ${(error as Error).message}`));
  };
  return {
    queued(ahead) {
      send(0, undefined, `waiting for ${ahead} generation(s) ahead`);
    },
    step({ step, total, imageIndex, overall }) {
      const of = count > 1 ? `image ${imageIndex + 1}/${count}, ` : '';
      send(overall.completed, overall.total, `${of}step ${step}/${total}`);
    },
    raw: send,
  };
}
