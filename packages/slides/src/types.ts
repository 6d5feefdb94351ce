import type { Engine, GenerateRequest } from '@matryoshka/core';
import type { Box } from './geometry.js';
import type { PackageLimits } from './pptx/limits.js';

export type DeckFormat = 'pptx' | 'marp' | 'slidev';

export interface IllustrateOptions {
  /**
   * The engine that draws the pictures (generate) and says which words its model draws by name
   * (readPrompt, when it has one). Not needed for a dry run, which then picks topic pictures only.
   */
  engine?: Pick<Engine, 'generate'> & Partial<Pick<Engine, 'readPrompt'>>;
  /** Appended to every prompt, e.g. "flat vector illustration". */
  style?: string;
  /** 1-based slide numbers to consider (a Set, an array, or text such as "1,3-5"). Default: all. */
  slides?: Iterable<number> | string;
  /** Also illustrate slides that already have a picture (a directive `illustrate: no` still wins). */
  force?: boolean;
  /**
   * PPTX: when no placeholder or free space holds a picture, narrow a body text box to make room
   * beside it, only if its text still fits at its own size. Default false: nothing the author made
   * is moved or resized, and such a slide is skipped (no-space).
   */
  makeRoom?: boolean;
  /** Plan only: report the prompt and placement for each slide, generate and write nothing. */
  dryRun?: boolean;
  /** Output path. Default: `<name>.illustrated.<ext>` beside the input. Its extension must match the deck's. */
  output?: string;
  /** Replace an output deck or picture file that exists. Default false: an existing file stops the run before anything is drawn. */
  overwrite?: boolean;
  /** Called with every path the run will write (the deck, Markdown pictures) before anything is drawn, and again just before writing; throw to refuse. */
  checkWrite?: (path: string) => Promise<void>;
  /** Extra request fields for every picture (model, steps, guidance, sampler, width, height…). */
  request?: Omit<GenerateRequest, 'prompt' | 'count' | 'format' | 'kind'>;
  /** Markdown flavour; detected from the deck when left out. */
  markdownFlavor?: 'marp' | 'slidev';
  /** Size and ratio limits for reading PPTX packages. */
  limits?: Partial<PackageLimits>;
  onProgress?: (progress: DeckProgress) => void;
  signal?: AbortSignal;
}

export interface DeckProgress {
  /** 1-based slide number being drawn. */
  slide: number;
  /** How many slides of this run have been drawn, and how many will be. */
  done: number;
  total: number;
  /** Denoising step of the current picture. */
  step: number;
  steps: number;
  /** The whole run in denoising steps: every picture's steps done, of all of them (never goes back). */
  overall: { completed: number; total: number };
}

export type SkipReason =
  | 'not-selected'
  | 'has-picture'
  | 'directive'
  | 'no-text'
  | 'no-idea'
  | 'no-space'
  | 'unsupported-layout'
  | 'busy'
  | 'title-slide'
  | 'hidden';

export interface Placement {
  /** placeholder: an empty picture placeholder of the slide; layout-placeholder: one its layout defines;
   * free-area: the largest free rectangle; beside-text: a text box was narrowed to make room;
   * marp-background / slidev-layout: the Markdown syntax used. */
  kind:
    | 'placeholder'
    | 'layout-placeholder'
    | 'free-area'
    | 'beside-text'
    | 'marp-background'
    | 'slidev-layout';
  /** The picture's frame on the slide, in EMU (PPTX only). */
  box?: Box;
  /** The Markdown written (Markdown decks only), e.g. "![bg right:40%](images/deck-slide-3.png)". */
  markup?: string;
}

export interface SlideReport {
  /** 1-based slide number. */
  slide: number;
  title?: string;
  status: 'illustrated' | 'planned' | 'skipped';
  reason?: SkipReason;
  /** Why, in words, when skipped. */
  detail?: string;
  prompt?: string;
  /** notes: the speaker notes' directive; topic: a designer's picture for the slide's idea; word: a thing the slide names. */
  promptSource?: 'notes' | 'topic' | 'word';
  /** Why this prompt, in words, e.g. '"Roadmap" is pictured as a calendar'. */
  why?: string;
  seed?: number;
  /** Where the picture went: the media part (PPTX) or the image file path (Markdown). */
  image?: string;
  placement?: Placement;
}

export interface DeckReport {
  input: string;
  /** Written file, or null for a dry run or when no slide needed a picture (then nothing is written). */
  output: string | null;
  format: DeckFormat;
  slides: SlideReport[];
  illustrated: number;
  skipped: number;
  /** Image files written beside a Markdown deck. */
  images: string[];
  model?: string;
  warnings: string[];
  elapsedMs: number;
}
