import { readDirective } from './directive.js';
import { type KnowsWord, pickIdea } from './idea/pick-idea.js';
import { seedFor } from './seed.js';
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
  /** Whether the model draws a word by name; without it only designers' topic pictures are chosen. */
  knows?: KnowsWord;
}

/**
 * Whether a slide gets a picture and from which prompt, the same rules for every deck format:
 * a notes directive wins over everything, then the selection, then "already has a picture".
 */
export async function decideSlide(facts: SlideFacts, options: DecideOptions): Promise<SlideReport> {
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
  const withStyle = (prompt: string) => (style === undefined ? prompt : `${prompt}, ${style}`);
  if (directive?.kind === 'prompt') {
    const prompt = withStyle(directive.prompt);
    return { ...base, status: 'planned', prompt, promptSource: 'notes', seed: seedFor(prompt, facts.number) };
  }
  if (facts.title === undefined && facts.body.length === 0) {
    return {
      ...base,
      reason: 'no-text',
      detail: 'no title or text to draw from (add "illustrate: <prompt>" to its notes)',
    };
  }
  const idea = await pickIdea(facts.title, facts.body, options.knows);
  if (idea === undefined) {
    return {
      ...base,
      reason: 'no-idea',
      detail:
        'nothing on the slide is a thing the model draws or an idea with a usual picture (add "illustrate: <prompt>" to its notes)',
    };
  }
  const prompt = withStyle(idea.picture);
  return {
    ...base,
    status: 'planned',
    prompt,
    promptSource: idea.source,
    why:
      idea.source === 'topic'
        ? `"${idea.words}" is pictured as ${idea.picture}`
        : `"${idea.words}" is a thing the model draws`,
    seed: seedFor(prompt, facts.number),
  };
}
