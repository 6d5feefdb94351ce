import { MatryoshkaError } from '@matryoshka/core';
import JSZip from 'jszip';
import { IMAGE_HEADER_BYTES, imageSize } from './image-header.js';
import { formatBytes, MIB, type PackageLimits } from './limits.js';
import { readZipDirectory, type ZipDirectoryEntry } from './zip-directory.js';

interface StreamingFile {
  internalStream(type: 'uint8array'): JSZip.JSZipStreamHelper<Uint8Array>;
}

const invalid = (message: string) => new MatryoshkaError('INVALID_REQUEST', message);
const IMAGE_PART = /\.(png|jpe?g|gif|bmp)$/i;
const XML_PART = /\.(xml|rels)$/i;

/**
 * An Office Open XML package: the zip's parts by name. Parts are inflated only when read, with
 * the actual byte count checked while inflating; parts never read are copied through compressed,
 * so their bytes come out exactly as they went in.
 */
export class OpcPackage {
  private readonly decoded = new Map<string, string>();
  private readonly changed = new Set<string>();

  private constructor(
    private readonly zip: JSZip,
    private readonly entries: Map<string, ZipDirectoryEntry>,
    private readonly limits: PackageLimits,
    readonly label: string,
  ) {}

  static async open(bytes: Uint8Array, label: string, limits: PackageLimits): Promise<OpcPackage> {
    const directory = readZipDirectory(bytes, label);
    checkDeclaredSizes(directory, label, limits);
    let zip: JSZip;
    try {
      zip = await JSZip.loadAsync(bytes);
    } catch (error) {
      throw invalid(`${label} is a damaged zip archive: ${(error as Error).message}`);
    }
    const entries = new Map(directory.map((entry) => [entry.name, entry]));
    // Stored (uncompressed) entries stay stored, so big media is copied, not deflated again.
    for (const entry of directory) {
      const file = zip.file(entry.name);
      if (entry.method === 0 && file !== null) file.options.compression = 'STORE';
    }
    const pkg = new OpcPackage(zip, entries, limits, label);
    for (const required of ['[Content_Types].xml', '_rels/.rels']) {
      if (!pkg.has(required))
        throw invalid(`${label} is not a presentation: the package part "${required}" is missing`);
    }
    await pkg.checkImages();
    return pkg;
  }

  has(name: string): boolean {
    return this.zip.file(name) !== null;
  }

  /** Every part name, directories left out, in the archive's order. */
  names(): string[] {
    return Object.values(this.zip.files)
      .filter((file) => !file.dir)
      .map((file) => file.name);
  }

  async readText(name: string): Promise<string> {
    const cached = this.decoded.get(name);
    if (cached !== undefined) return cached;
    const bytes = await this.readBytes(name, this.limits.maxPartBytes);
    const text = new TextDecoder().decode(bytes);
    this.decoded.set(name, text);
    return text;
  }

  /** Reads a part, refusing to inflate more than `limit` bytes whatever its header claims. */
  async readBytes(name: string, limit: number, stopAfter = Number.POSITIVE_INFINITY): Promise<Uint8Array> {
    const file = this.zip.file(name);
    if (file === null) throw invalid(`${this.label} is damaged: the part "${name}" is missing`);
    return new Promise<Uint8Array>((resolve, reject) => {
      const chunks: Uint8Array[] = [];
      let total = 0;
      let settled = false;
      const finish = () => {
        settled = true;
        const out = new Uint8Array(total);
        let at = 0;
        for (const chunk of chunks) {
          out.set(chunk, at);
          at += chunk.length;
        }
        resolve(out);
      };
      // internalStream is JSZip's documented streaming reader; its typings omit it.
      const stream = (file as unknown as StreamingFile).internalStream('uint8array');
      stream
        .on('data', (chunk: Uint8Array) => {
          if (settled) return;
          total += chunk.length;
          if (total > limit) {
            settled = true;
            stream.pause();
            reject(
              invalid(`${this.label}: the part "${name}" inflates past ${formatBytes(limit)} (a zip bomb?)`),
            );
            return;
          }
          chunks.push(chunk);
          if (total >= stopAfter) {
            stream.pause();
            finish();
          }
        })
        .on('error', (error: Error) => {
          if (settled) return;
          settled = true;
          reject(invalid(`${this.label}: the part "${name}" cannot be read: ${error.message}`));
        })
        .on('end', () => {
          if (!settled) finish();
        })
        .resume();
    });
  }

  writeText(name: string, text: string): void {
    this.decoded.set(name, text);
    this.changed.add(name);
    this.zip.file(name, text);
  }

  writeBytes(name: string, bytes: Uint8Array): void {
    this.changed.add(name);
    this.zip.file(name, bytes);
  }

  /** Parts added or rewritten since open(). */
  modified(): string[] {
    return [...this.changed];
  }

  async toBytes(): Promise<Uint8Array> {
    return this.zip.generateAsync({
      type: 'uint8array',
      compression: 'DEFLATE',
      compressionOptions: { level: 6 },
      mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    });
  }

  private async checkImages(): Promise<void> {
    for (const name of this.names()) {
      if (!IMAGE_PART.test(name)) continue;
      const declared = this.entries.get(name)?.uncompressedSize ?? 0;
      const head = await this.readBytes(name, Math.max(declared, IMAGE_HEADER_BYTES), IMAGE_HEADER_BYTES);
      const size = imageSize(head);
      if (size !== undefined && size.width * size.height > this.limits.maxImagePixels) {
        const megapixels = Math.round((size.width * size.height) / 1e6);
        throw invalid(
          `${this.label}: the embedded image "${name}" is ${size.width}×${size.height} pixels (${megapixels} megapixels), ` +
            `over the limit of ${Math.round(this.limits.maxImagePixels / 1e6)} megapixels`,
        );
      }
    }
  }
}

function checkDeclaredSizes(directory: ZipDirectoryEntry[], label: string, limits: PackageLimits): void {
  if (directory.length > limits.maxEntries) {
    throw invalid(`${label} holds ${directory.length} zip entries, over the limit of ${limits.maxEntries}`);
  }
  let total = 0;
  for (const entry of directory) {
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize > MIB && ratio > limits.maxCompressionRatio) {
      throw invalid(
        `${label}: the part "${entry.name}" would inflate ${Math.round(ratio)}-fold ` +
          `(${formatBytes(entry.compressedSize)} → ${formatBytes(entry.uncompressedSize)}); this looks like a zip bomb`,
      );
    }
    // Size ceilings only for the XML this tool inflates; media is copied through still compressed,
    // so a deck with a large embedded video stays usable.
    if (!XML_PART.test(entry.name)) continue;
    total += entry.uncompressedSize;
    if (entry.uncompressedSize > limits.maxPartBytes) {
      throw invalid(
        `${label}: the part "${entry.name}" declares ${formatBytes(entry.uncompressedSize)} uncompressed, ` +
          `over the limit of ${formatBytes(limits.maxPartBytes)}`,
      );
    }
  }
  if (total > limits.maxTotalBytes) {
    throw invalid(
      `${label} would inflate to ${formatBytes(total)}, over the limit of ${formatBytes(limits.maxTotalBytes)} (a zip bomb?)`,
    );
  }
}
