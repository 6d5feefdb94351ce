/** Where an image link stands: the document's URI (as a string) and a position inside the link. */
export interface LinkLocation {
  document: string;
  line: number;
  character: number;
}

/** One action on a linked picture, with JSON-safe arguments (a hover's command links carry them as text). */
export interface LinkPictureAction {
  title: string;
  command: string;
  args: unknown[];
}

// What the engine takes as an image-to-image input, and what the gallery shows.
const VARIABLE = /\.(png|jpe?g|webp|avif)$/i;
const IN_GALLERY = /\.(png|webp|gif)$/i;

/**
 * The actions a hover or the light bulb offers on the picture `file` (its URI as a string) that a
 * link at `at` points to. Regenerate rewrites that link to the new picture; it and Copy Prompt need
 * the picture's generation record (`hasRecord`), Variations a format the engine reads.
 */
export function linkPictureActions(file: string, hasRecord: boolean, at: LinkLocation): LinkPictureAction[] {
  const actions: LinkPictureAction[] = [];
  if (hasRecord)
    actions.push({ title: 'Regenerate with a New Seed', command: 'matryoshka.regenerate', args: [at] });
  if (VARIABLE.test(file))
    actions.push({ title: 'Variations of This Image', command: 'matryoshka.variations', args: [file] });
  if (IN_GALLERY.test(file))
    actions.push({ title: 'Show in Gallery', command: 'matryoshka.showInGallery', args: [file] });
  if (hasRecord) actions.push({ title: 'Copy Prompt', command: 'matryoshka.copyPrompt', args: [file] });
  return actions;
}

/** A Markdown command link (`[title](command:id?args)`) that runs `action` when clicked in a trusted hover. */
export function commandLink(action: LinkPictureAction): string {
  const title = action.title.replace(/[[\]\\]/g, '\\$&');
  return `[${title}](command:${action.command}?${encodeURIComponent(JSON.stringify(action.args))})`;
}

/** Whether `value` is a LinkLocation (as a command receives it back from a hover or a code action). */
export function isLinkLocation(value: unknown): value is LinkLocation {
  const v = value as Partial<LinkLocation> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.document === 'string' &&
    Number.isInteger(v.line) &&
    Number.isInteger(v.character)
  );
}
