/** Sampler names as the bundle format defines them (docs/model-bundle.md, "Samplers"). */
export const SAMPLERS = ['ddpm', 'ddim', 'dpmpp-2m'] as const;
export type SamplerName = (typeof SAMPLERS)[number];

export const IMAGE_FORMATS = ['png', 'webp', 'jpeg', 'avif'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export const BACKGROUNDS = ['white', 'transparent'] as const;
export type Background = (typeof BACKGROUNDS)[number];

export const CLIP_FORMATS = ['webp', 'gif', 'png-frames'] as const;
export type ClipFormat = (typeof CLIP_FORMATS)[number];

/** The one format → file extension mapping: "jpeg" files end in .jpg, "png-frames" in .png. */
export function extensionFor(format: string): string {
  if (format === 'jpeg') return 'jpg';
  if (format === 'png-frames') return 'png';
  return format;
}

export const MAX_PROMPT_CHARS = 2000;
export const MAX_SIZE = 2048;
export const MAX_STEPS = 1000;
export const MAX_COUNT = 16;
export const MAX_GUIDANCE = 50;
export const MAX_SEED = 0xffffffff;
/** Image-to-image: how far from the input picture when the request does not say. */
export const DEFAULT_STRENGTH = 0.6;
export const MODEL_ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/** The preferred implicit model, when present. */
export const DEFAULT_MODEL_ID = 'emoji-256';
/** The preferred implicit clip model, when present. */
export const DEFAULT_CLIP_MODEL_ID = 'emoji-clip-64';
