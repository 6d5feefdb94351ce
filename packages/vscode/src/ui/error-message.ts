/**
 * The one line shown to the user for a failure. Engine errors carry a message written for users;
 * anything else is a bug, reported by its message only (the stack goes to the output channel).
 */
export function errorMessage(error: unknown): string {
  if (isCodedError(error)) {
    const hint = HINTS[error.code];
    return hint ? `${error.message} ${hint}` : error.message;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return `Matryoshka failed: ${reason}`;
}

/** Whether the failure is a cancellation, which deserves no error message at all. */
export function isCancellation(error: unknown): boolean {
  return isCodedError(error) && error.code === 'ABORTED';
}

const HINTS: Record<string, string> = {
  MODEL_NOT_FOUND:
    'Set "matryoshka.modelsDir" to a folder of model bundles, or "matryoshka.model" to one of them.',
  MODEL_CORRUPT: 'Reinstall or re-export the model bundle.',
};

function isCodedError(error: unknown): error is { code: string; message: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}
