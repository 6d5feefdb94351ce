import {
  attr,
  buildXml,
  childrenNamed,
  childrenOf,
  element,
  parseXml,
  rootElement,
  tagOf,
  type XmlDocument,
} from './xml.js';

/** `[Content_Types].xml`: makes sure an extension has a Default so new media parts are typed. */
export class ContentTypes {
  private constructor(private readonly doc: XmlDocument) {}

  static parse(xml: string): ContentTypes {
    return new ContentTypes(parseXml(xml));
  }

  hasDefault(extension: string): boolean {
    return childrenNamed(rootElement(this.doc), 'Default').some(
      (node) => attr(node, 'Extension')?.toLowerCase() === extension.toLowerCase(),
    );
  }

  /** The content type of a part by its Override, else by its extension's Default. */
  typeOf(partName: string): string | undefined {
    const root = rootElement(this.doc);
    const override = childrenNamed(root, 'Override').find(
      (node) => attr(node, 'PartName')?.toLowerCase() === `/${partName}`.toLowerCase(),
    );
    if (override !== undefined) return attr(override, 'ContentType');
    const extension = partName.slice(partName.lastIndexOf('.') + 1).toLowerCase();
    const fallback = childrenNamed(root, 'Default').find(
      (node) => attr(node, 'Extension')?.toLowerCase() === extension,
    );
    return fallback === undefined ? undefined : attr(fallback, 'ContentType');
  }

  /** Returns true when it had to add the Default. Defaults go before Overrides, as Office writes them. */
  ensureDefault(extension: string, contentType: string): boolean {
    if (this.hasDefault(extension)) return false;
    const root = rootElement(this.doc);
    const list = childrenOf(root);
    const firstOverride = list.findIndex((node) => tagOf(node) === 'Override');
    const node = element('Default', { Extension: extension, ContentType: contentType });
    list.splice(firstOverride < 0 ? list.length : firstOverride, 0, node);
    return true;
  }

  toXml(): string {
    return buildXml(this.doc);
  }
}
