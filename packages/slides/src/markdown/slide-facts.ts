/** What a Markdown slide says: title, key text, speaker notes (HTML comments) and pictures. */
export interface MarkdownFacts {
  title?: string;
  /** Index (into the deck's lines) of the title heading, if any. */
  titleLine?: number;
  body: string[];
  notes: string;
  hasPicture: boolean;
  /** Content a picture would crowd or that is not prose: the first such block found, if any. */
  busy?: BusyContent;
}

/** Slide content that leaves no room for a picture, or whose words are not an idea to draw. */
export type BusyContent = 'code' | 'diagram' | 'math' | 'component' | 'columns';

const DIAGRAM_FENCES = /^(mermaid|plantuml|puml|graphviz|dot|d2|flowchart|sequence)$/i;
// Display math; inline math in a sentence is only stripped from the prompt.
const MATH_LINE = /^\s*\$\$|\\begin\{|^\s*\\\[/;
// Vue components (Slidev's <Tweet>, <Youtube>, user components) start with a capital letter.
const COMPONENT = /<[A-Z][\w-]*[\s/>]/;
const COLUMNS = /^\s*::(right|left)::\s*$|class\s*=\s*["'][^"']*\b(columns?|cols|grid-cols-\d|two-col\w*)\b/;

const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const PICTURE = /!\[[^\]]*\]\([^)]*\)|<img\b|<video\b|<iframe\b/i;

export function slideFacts(lines: string[], start: number, end: number): MarkdownFacts {
  const body: string[] = [];
  const notes: string[] = [];
  let title: string | undefined;
  let titleLine: number | undefined;
  let hasPicture = false;
  let busy: BusyContent | undefined;
  const mark = (kind: BusyContent) => {
    busy ??= kind;
  };
  let fenced = false;
  let comment: string[] | undefined;
  for (let i = start; i < end; i++) {
    const line = lines[i] ?? '';
    if (comment !== undefined) {
      const close = line.indexOf('-->');
      comment.push(close < 0 ? line : line.slice(0, close));
      if (close >= 0) {
        notes.push(comment.join('\n'));
        comment = undefined;
      }
      continue;
    }
    const fence = /^\s*(```|~~~)\s*\{?\s*([\w-]*)/.exec(line);
    if (fence) {
      if (!fenced) mark(DIAGRAM_FENCES.test(fence[2] ?? '') ? 'diagram' : 'code');
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    if (/^\s*@start(uml|mindmap|gantt)/.test(line)) mark('diagram');
    if (MATH_LINE.test(line)) mark('math');
    if (COMPONENT.test(line)) mark('component');
    if (COLUMNS.test(line)) mark('columns');
    const open = line.indexOf('<!--');
    if (open >= 0) {
      const rest = line.slice(open + 4);
      const close = rest.indexOf('-->');
      if (close >= 0) notes.push(rest.slice(0, close));
      else comment = [rest];
      continue;
    }
    if (PICTURE.test(line)) hasPicture = true;
    // Slidev slot markers (::right::) and heading underlines are syntax, not words on the slide.
    if (/^\s*::[\w-]+::\s*$/.test(line) || /^\s*[-=]{2,}\s*$/.test(line)) continue;
    const heading = HEADING.exec(line);
    if (heading !== null && title === undefined) {
      title = plain(heading[2] ?? '');
      titleLine = i;
      continue;
    }
    const text = plain(
      line
        .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '')
        .replace(/^\s*>\s?/, '')
        .replace(/^#+\s+/, ''),
    );
    if (text.length > 0) body.push(text);
  }
  return {
    ...(title === undefined || title === '' ? {} : { title }),
    ...(titleLine === undefined ? {} : { titleLine }),
    body,
    notes: notes.join('\n'),
    hasPicture,
    ...(busy === undefined ? {} : { busy }),
  };
}

/** Markdown inline syntax stripped down to the words a reader sees. */
function plain(text: string): string {
  return text
    .replace(/\$[^$\n]*[\\^_][^$\n]*\$/g, '')
    .replace(/\\[a-zA-Z]+/g, '')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[*_`~]+/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
