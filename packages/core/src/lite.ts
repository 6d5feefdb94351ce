/**
 * `@matryoshka/core/lite`: the request limits, names and default model ids, the error class and the
 * file writer, without zod, ONNX Runtime or sharp. For front ends that must answer `--help` or a
 * mistyped flag at once and load the engine (`@matryoshka/core`) only when they generate.
 */
export * from './constants.js';
export { ERROR_CODES, MatryoshkaError, type MatryoshkaErrorCode } from './errors.js';
export { type FileIdentity, fileIdentity, sameFile } from './files/file-identity.js';
export { promptStem, suggestedFileName } from './files/suggested-file-name.js';
export { pendingTempFiles, removePendingTempFilesSync } from './files/temp-files.js';
export {
  checkTarget,
  type FileToWrite,
  resolveTarget,
  type WriteOptions,
  writeFileAtomic,
  writeFilesAtomically,
} from './files/write-files.js';
export { describeInterpretation, type Interpretation, type PromptChange } from './interpret.js';
export { insertPngText, isPng, readPngText } from './png/chunks.js';
