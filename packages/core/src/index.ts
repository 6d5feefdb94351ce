export {
  BACKGROUNDS,
  type Background,
  CLIP_FORMATS,
  type ClipFormat,
  DEFAULT_CLIP_MODEL_ID,
  DEFAULT_MODEL_ID,
  IMAGE_FORMATS,
  type ImageFormat,
  MAX_COUNT,
  MAX_GUIDANCE,
  MAX_SEED,
  MAX_SIZE,
  MAX_STEPS,
  SAMPLERS,
  type SamplerName,
} from './constants.js';
export { createEngine } from './engine.js';
export type {
  Engine,
  EngineOptions,
  ModelInfo,
  ModelScan,
  PromptReading,
  SkippedBundle,
} from './engine-types.js';
export { ERROR_CODES, MatryoshkaError, type MatryoshkaErrorCode } from './errors.js';
export { promptStem, suggestedFileName } from './files/suggested-file-name.js';
export {
  CHANGE_REASONS,
  type ChangeReason,
  describeInterpretation,
  type Interpretation,
  type PromptChange,
  PromptReader,
  soundOf,
} from './interpret.js';
export { defaultModelsDir } from './models-dir.js';
export { parseRequest } from './parse-request.js';
export { readPngText } from './png/chunks.js';
export {
  type ClipRequest,
  ClipRequestSchema,
  type GeneratedImage,
  GeneratedImageSchema,
  type GenerateOptions,
  type GenerateRequest,
  GenerateRequestSchema,
  type GenerateResult,
  GenerateResultSchema,
  type IconsRequest,
  IconsRequestSchema,
  type ImageRequest,
  ImageRequestSchema,
  InterpretationSchema,
  MIME_TYPES,
  type NormalizedClipRequest,
  NormalizedClipRequestSchema,
  type NormalizedIconsRequest,
  NormalizedIconsRequestSchema,
  type NormalizedImageRequest,
  NormalizedImageRequestSchema,
  type NormalizedRequest,
  type ParsedRequest,
  type Progress,
  type ProgressPreview,
  type Timings,
  TimingsSchema,
  WARNING_CODES,
  type Warning,
  WarningSchema,
} from './schema.js';
