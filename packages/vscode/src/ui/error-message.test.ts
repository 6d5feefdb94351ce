import { MatryoshkaError } from '@matryoshka/core';
import { describe, expect, it } from 'vitest';
import { EngineClientError } from '../engine/engine-client-error.js';
import { errorMessage, isCancellation } from './error-message.js';

describe('errorMessage', () => {
  it('shows an engine error’s own message, never a stack', () => {
    const message = errorMessage(
      new MatryoshkaError('INVALID_REQUEST', 'steps: must be an integer from 1 to 1000'),
    );
    expect(message).toBe('steps: must be an integer from 1 to 1000');
    expect(message).not.toMatch(/\n\s+at /);
  });

  it('adds what to do for a missing model', () => {
    expect(errorMessage(new EngineClientError('MODEL_NOT_FOUND', 'No model "x".'))).toMatch(
      /^No model "x"\. Set "matryoshka\.modelsDir"/,
    );
  });

  it('reports other failures by message only', () => {
    expect(errorMessage(new TypeError('boom'))).toBe('Matryoshka failed: boom');
    expect(errorMessage('weird')).toBe('Matryoshka failed: weird');
  });

  it('recognises cancellation', () => {
    expect(isCancellation(new EngineClientError('ABORTED', 'Generation cancelled.'))).toBe(true);
    expect(isCancellation(new Error('ABORTED'))).toBe(false);
  });
});
