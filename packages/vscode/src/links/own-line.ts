/**
 * The text to insert so that `link` stands on a line of its own, whatever surrounds the insertion
 * point: a line break before it when text precedes it on the line, one after when text follows.
 * `before` and `after` are the line's text either side of the (replaced) selection.
 */
export function onOwnLine(link: string, before: string, after: string, eol = '\n'): string {
  const lead = before.trim() === '' ? '' : eol;
  const trail = after.trim() === '' ? '' : eol;
  return `${lead}${link}${trail}`;
}
