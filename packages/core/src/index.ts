export { DEFAULT_CLIP_MODEL_ID, DEFAULT_MODEL_ID } from './constants.js';
export { createEngine } from './engine.js';
export type { Engine, EngineOptions, ModelInfo, ModelScan, SkippedBundle } from './engine-types.js';
export { ERROR_CODES, MatryoshkaError, type MatryoshkaErrorCode } from './errors.js';
export { defaultModelsDir } from './models-dir.js';
export { parseRequest } from './parse-request.js';
export { readPngText } from './png-chunks.js';
export {
  CLIP_FORMATS,
  type ClipFormat,
  type ClipRequest,
  ClipRequestSchema,
  type GeneratedImage,
  GeneratedImageSchema,
  type GenerateOptions,
  type GenerateRequest,
  GenerateRequestSchema,
  type GenerateResult,
  GenerateResultSchema,
  IMAGE_FORMATS,
  type ImageFormat,
  type ImageRequest,
  ImageRequestSchema,
  MAX_COUNT,
  MAX_GUIDANCE,
  MAX_SEED,
  MAX_SIZE,
  MAX_STEPS,
  MIME_TYPES,
  type NormalizedClipRequest,
  NormalizedClipRequestSchema,
  type NormalizedImageRequest,
  NormalizedImageRequestSchema,
  type NormalizedRequest,
  type ParsedRequest,
  type Progress,
  type ProgressPreview,
  SAMPLERS,
  type SamplerName,
  type Timings,
  TimingsSchema,
} from './schema.js';
