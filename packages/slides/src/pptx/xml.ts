import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * fast-xml-parser's ordered tree: each element is `{ [tag]: children, ':@'?: attributes }`, text is
 * `{ '#text': raw }`. Entities are left undecoded in both directions, so whatever this module does
 * not touch is written back with the same characters it was read with.
 */
export type XmlNode = Record<string, unknown>;
export type Attributes = Record<string, string>;

export interface XmlDocument {
  /** Everything before the root element (declaration, comments, line breaks), kept verbatim. */
  prolog: string;
  nodes: XmlNode[];
}

const OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  commentPropName: '#comment',
  cdataPropName: '#cdata',
} as const;

const parser = new XMLParser(OPTIONS);
const builder = new XMLBuilder({ ...OPTIONS, suppressEmptyNode: true, format: false });
const PROLOG = /^(?:\s*(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->))*\s*/;
const ATTRIBUTES = ':@';

/** Parses XML; throws an Error naming the line when it is not well-formed (the parser alone would guess). */
export function parseXml(text: string): XmlDocument {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`${valid.err.msg} (line ${valid.err.line})`);
  const prolog = PROLOG.exec(text)?.[0] ?? '';
  return { prolog, nodes: parser.parse(text.slice(prolog.length)) as XmlNode[] };
}

export function buildXml(doc: XmlDocument): string {
  return doc.prolog + (builder.build(doc.nodes) as string);
}

export function tagOf(node: XmlNode): string {
  for (const key of Object.keys(node)) if (key !== ATTRIBUTES) return key;
  return '';
}

/** The node's own child array (not a copy), so callers can insert into it. */
export function childrenOf(node: XmlNode): XmlNode[] {
  const tag = tagOf(node);
  const value = node[tag];
  if (Array.isArray(value)) return value as XmlNode[];
  const created: XmlNode[] = [];
  if (tag !== '' && !tag.startsWith('#')) node[tag] = created;
  return created;
}

export function attributesOf(node: XmlNode): Attributes {
  return (node[ATTRIBUTES] as Attributes | undefined) ?? {};
}

/** An attribute's value with XML entities decoded, or undefined. */
export function attr(node: XmlNode | undefined, name: string): string | undefined {
  if (node === undefined) return undefined;
  const raw = attributesOf(node)[name];
  return raw === undefined ? undefined : decodeEntities(raw);
}

export function setAttr(node: XmlNode, name: string, value: string): void {
  const attributes = (node[ATTRIBUTES] as Attributes | undefined) ?? {};
  attributes[name] = escapeXml(value);
  node[ATTRIBUTES] = attributes;
}

export function child(node: XmlNode | undefined, tag: string): XmlNode | undefined {
  if (node === undefined) return undefined;
  return childrenOf(node).find((c) => tagOf(c) === tag);
}

export function childrenNamed(node: XmlNode | undefined, tag: string): XmlNode[] {
  if (node === undefined) return [];
  return childrenOf(node).filter((c) => tagOf(c) === tag);
}

/** Follows a path of child tags, e.g. path(sp, 'p:spPr', 'a:xfrm', 'a:off'). */
export function path(node: XmlNode | undefined, ...tags: string[]): XmlNode | undefined {
  let at = node;
  for (const tag of tags) at = child(at, tag);
  return at;
}

/** Every descendant element with this tag, depth first, document order. */
export function descendants(node: XmlNode, tag: string, out: XmlNode[] = []): XmlNode[] {
  for (const c of childrenOf(node)) {
    if (tagOf(c) === tag) out.push(c);
    descendants(c, tag, out);
  }
  return out;
}

export function rootElement(doc: XmlDocument): XmlNode {
  const root = doc.nodes.find((n) => {
    const tag = tagOf(n);
    return tag !== '' && !tag.startsWith('?') && !tag.startsWith('#');
  });
  if (root === undefined) throw new Error('the XML has no root element');
  return root;
}

/** The decoded text of every a:t run under a node, runs concatenated. */
export function runText(node: XmlNode): string {
  return descendants(node, 'a:t')
    .map((t) =>
      childrenOf(t)
        .map((c) => (typeof c['#text'] === 'string' ? decodeEntities(c['#text']) : ''))
        .join(''),
    )
    .join('');
}

export function element(
  tag: string,
  attributes: Record<string, string> = {},
  children: XmlNode[] = [],
): XmlNode {
  const node: XmlNode = { [tag]: children };
  const escaped = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, escapeXml(v)]));
  if (Object.keys(escaped).length > 0) node[ATTRIBUTES] = escaped;
  return node;
}

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[name] ?? whole;
  });
}
