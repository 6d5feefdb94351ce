export { type Directive, readDirective } from './directive.js';
export type { Box } from './geometry.js';
export { type KnowsWord, pickIdea, type SlideIdea } from './idea/pick-idea.js';
export { defaultOutputPath, illustrateDeck } from './illustrate-deck.js';
export { detectFlavor, type MarkdownFlavor } from './markdown/flavor.js';
export { DEFAULT_LIMITS, type PackageLimits } from './pptx/limits.js';
export { parseSlideSelection } from './slide-selection.js';
export type {
  DeckFormat,
  DeckProgress,
  DeckReport,
  IllustrateOptions,
  Placement,
  SkipReason,
  SlideReport,
} from './types.js';
