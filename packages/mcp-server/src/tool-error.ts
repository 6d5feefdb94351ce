import { MatryoshkaError } from '@matryoshka/core';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * The one place failures become tool results. A tool error is for the model to read and act on
 * (fix an argument, retry later), so it is an `isError` result, never a protocol error; the code
 * leads the text and is repeated under `_meta` for clients that branch on it.
 */
export function errorResult(error: unknown): CallToolResult {
  const known = MatryoshkaError.isInstance(error)
    ? error
    : new MatryoshkaError('RUNTIME_ERROR', error instanceof Error ? error.message : String(error), {
        cause: error,
      });
  return {
    isError: true,
    content: [{ type: 'text', text: `${known.code}: ${known.message}${hintFor(known.code)}` }],
    _meta: { 'matryoshka/error': { code: known.code, message: known.message } },
  };
}

function hintFor(code: string): string {
  switch (code) {
    case 'MODEL_NOT_FOUND':
      return '\nCall list_models to see the installed models.';
    case 'BUSY':
      return '\nOther generations are in progress; wait for them and call again.';
    default:
      return '';
  }
}
