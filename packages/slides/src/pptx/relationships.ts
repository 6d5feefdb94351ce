import { resolveTarget } from './part-names.js';
import {
  attr,
  buildXml,
  childrenNamed,
  childrenOf,
  element,
  parseXml,
  rootElement,
  type XmlDocument,
  type XmlNode,
} from './xml.js';

export interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
  /** The zip entry the target names (internal targets only). */
  part?: string;
}

const NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const EMPTY = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns="${NS}"></Relationships>`;

/** Relationship type URIs end in the same word in Transitional and Strict OOXML; match on that word. */
export const isType = (rel: Relationship, word: string): boolean => rel.type.endsWith(`/${word}`);

export const IMAGE_RELATIONSHIP = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image';

/** One .rels part, read and, when something is added, written back in the same document. */
export class Relationships {
  private constructor(
    private readonly sourcePart: string,
    private readonly doc: XmlDocument,
  ) {}

  static parse(sourcePart: string, xml: string | undefined): Relationships {
    return new Relationships(sourcePart, parseXml(xml ?? EMPTY));
  }

  list(): Relationship[] {
    return childrenNamed(rootElement(this.doc), 'Relationship').map((node) => this.toRelationship(node));
  }

  find(word: string): Relationship | undefined {
    return this.list().find((rel) => isType(rel, word));
  }

  byId(id: string): Relationship | undefined {
    return this.list().find((rel) => rel.id === id);
  }

  /** Adds a relationship with a fresh id (rId<n>, above every existing number) and returns that id. */
  add(type: string, target: string): string {
    const taken = new Set(this.list().map((rel) => rel.id));
    let n = taken.size + 1;
    while (taken.has(`rId${n}`)) n++;
    const id = `rId${n}`;
    const root = rootElement(this.doc);
    childrenOf(root).push(element('Relationship', { Id: id, Type: type, Target: target }));
    return id;
  }

  toXml(): string {
    return buildXml(this.doc);
  }

  private toRelationship(node: XmlNode): Relationship {
    const target = attr(node, 'Target') ?? '';
    const external = attr(node, 'TargetMode') === 'External';
    return {
      id: attr(node, 'Id') ?? '',
      type: attr(node, 'Type') ?? '',
      target,
      external,
      ...(external ? {} : { part: resolveTarget(this.sourcePart, target) }),
    };
  }
}
