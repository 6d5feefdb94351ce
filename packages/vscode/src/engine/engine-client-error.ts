/**
 * A MatryoshkaError received from the engine process, rebuilt on the extension's side. The host does
 * not import @matryoshka/core at run time: that would load ONNX Runtime and sharp into the
 * extension host, which is what running the engine in its own process avoids.
 */
export class EngineClientError extends Error {
  override name = 'MatryoshkaError';
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
