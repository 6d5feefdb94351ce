/** What a speaker-notes line `illustrate: …` asks for. */
export type Directive = { kind: 'skip' } | { kind: 'prompt'; prompt: string };

const LINE = /^\s*illustrate\s*:\s*(.*?)\s*$/im;
const NO = new Set(['no', 'none', 'off', 'skip', 'false', 'never']);

/** Reads the first `illustrate:` line of a slide's notes; undefined when there is none. */
export function readDirective(notes: string): Directive | undefined {
  const match = LINE.exec(notes);
  if (match === null) return undefined;
  const value = (match[1] ?? '').replace(/^["']|["']$/g, '').trim();
  if (value === '' || NO.has(value.toLowerCase())) return { kind: 'skip' };
  return { kind: 'prompt', prompt: value };
}
