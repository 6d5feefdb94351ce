/**
 * `@matryoshka/core/lite`: the request limits, names and default model ids, and the error class,
 * without zod, ONNX Runtime or sharp. For front ends that must answer `--help` or a mistyped flag
 * at once and load the engine (`@matryoshka/core`) only when they generate.
 */
export * from './constants.js';
export { ERROR_CODES, MatryoshkaError, type MatryoshkaErrorCode } from './errors.js';
