/** Every failure the engine reports carries one of these codes; front ends map them to exit codes / HTTP-like statuses. */
export const ERROR_CODES = [
  'INVALID_REQUEST',
  'ABORTED',
  'MODEL_NOT_FOUND',
  'MODEL_CORRUPT',
  'MODEL_UNSUPPORTED',
  'RUNTIME_ERROR',
  'IO_ERROR',
  'BUSY',
] as const;

export type MatryoshkaErrorCode = (typeof ERROR_CODES)[number];

// A registry-wide symbol rather than `instanceof`, because a CLI and an MCP server may each bundle
// their own copy of this package and must still recognise each other's errors.
const MARKER = Symbol.for('@matryoshka/core/MatryoshkaError');

export interface MatryoshkaErrorOptions {
  details?: unknown;
  cause?: unknown;
}

export class MatryoshkaError extends Error {
  readonly code: MatryoshkaErrorCode;
  readonly details?: unknown;

  constructor(code: MatryoshkaErrorCode, message: string, options: MatryoshkaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MatryoshkaError';
    this.code = code;
    if (options.details !== undefined) this.details = options.details;
    Object.defineProperty(this, MARKER, { value: true });
  }

  static isInstance(value: unknown): value is MatryoshkaError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }

  /** Plain data for JSON output (`--json`, MCP structured errors): no stack, no cause chain. */
  toJSON(): { name: string; code: MatryoshkaErrorCode; message: string; details?: unknown } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** Wraps anything thrown by a dependency so callers only ever see MatryoshkaError. */
export function toMatryoshkaError(
  error: unknown,
  code: MatryoshkaErrorCode,
  context: string,
): MatryoshkaError {
  if (MatryoshkaError.isInstance(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new MatryoshkaError(code, `${context}: ${reason}`, { cause: error });
}
