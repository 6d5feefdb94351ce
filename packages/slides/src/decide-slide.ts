import { readDirective } from './directive.js';
import { buildPrompt, seedFor } from './prompt.js';
import type { SlideReport } from './types.js';

export interface SlideFacts {
  number: number;
  title?: string;
  body: string[];
  notes: string;
  hasPicture: boolean;
  hidden: boolean;
}

export interface DecideOptions {
  style?: string;
  selected?: ReadonlySet<number>;
  force: boolean;
}

/**
 * Whether a slide gets a picture and from which prompt, the same rules for every deck format:
 * a notes directive wins over everything, then the selection, then "already has a picture".
 */
export function decideSlide(facts: SlideFacts, options: DecideOptions): SlideReport {
  const base: SlideReport = {
    slide: facts.number,
    status: 'skipped',
    ...(facts.title === undefined ? {} : { title: facts.title }),
  };
  if (options.selected !== undefined && !options.selected.has(facts.number)) {
    return { ...base, reason: 'not-selected', detail: 'not in the selected slides' };
  }
  const directive = readDirective(facts.notes);
  if (directive?.kind === 'skip')
    return { ...base, reason: 'directive', detail: 'the speaker notes say "illustrate: no"' };
  if (facts.hidden && options.selected === undefined && directive === undefined) {
    return { ...base, reason: 'hidden', detail: 'hidden slide (select it explicitly to illustrate it)' };
  }
  // Directives included: re-running on an illustrated deck must not stack a second picture.
  if (facts.hasPicture && !options.force) {
    return { ...base, reason: 'has-picture', detail: 'already has a picture (use force to add one anyway)' };
  }
  const style = options.style?.trim() || undefined;
  const prompt =
    directive?.kind === 'prompt'
      ? style === undefined
        ? directive.prompt
        : `${directive.prompt}, ${style}`
      : buildPrompt(facts.title, facts.body, style);
  if (prompt === undefined) {
    return {
      ...base,
      reason: 'no-text',
      detail: 'no title or text to draw from (add "illustrate: <prompt>" to its notes)',
    };
  }
  return {
    ...base,
    status: 'planned',
    prompt,
    promptSource: directive === undefined ? 'slide' : 'notes',
    seed: seedFor(prompt, facts.number),
  };
}
