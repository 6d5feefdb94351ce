import { InvalidArgumentError, NoSuchModelError } from '@ai-sdk/provider';
import { MatryoshkaError } from '@matryoshka/core';

/**
 * Core's one error type, translated at this edge into what AI SDK callers check for: an abort rejects
 * with the signal's reason (as fetch-based providers do), an unknown model is NoSuchModelError, a bad
 * request InvalidArgumentError; anything else stays a MatryoshkaError with its code.
 */
export function translateError(
  error: unknown,
  modelId: string,
  modelType: 'imageModel' | 'videoModel',
  signal: AbortSignal | undefined,
): unknown {
  if (!MatryoshkaError.isInstance(error)) return error;
  if (error.code === 'ABORTED') {
    return signal?.reason ?? new DOMException(error.message, 'AbortError');
  }
  if (error.code === 'MODEL_NOT_FOUND') {
    return new NoSuchModelError({ modelId, modelType, message: error.message });
  }
  if (error.code === 'INVALID_REQUEST') {
    return new InvalidArgumentError({ argument: argumentOf(error), message: error.message, cause: error });
  }
  return error;
}

/** Core's messages start with the field they are about ("steps: must be …"). */
function argumentOf(error: MatryoshkaError): string {
  const field = /^([A-Za-z]+):/.exec(error.message)?.[1];
  if (field === undefined) return 'request';
  return SDK_ARGUMENTS[field] ?? `providerOptions.matryoshka.${field}`;
}

/** Request fields that come from the SDK's own arguments rather than from providerOptions. */
const SDK_ARGUMENTS: Record<string, string> = {
  prompt: 'prompt',
  seed: 'seed',
  count: 'n',
  width: 'size',
  height: 'size',
  fps: 'fps',
};
