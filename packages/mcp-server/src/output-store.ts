import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, readFile, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MatryoshkaError } from '@matryoshka/core';
import { mimeTypeOf } from './mime.js';
import { isSafeFileName, OUTPUT_EXTENSIONS, safeStem } from './safe-name.js';

export const OUTPUT_URI_PREFIX = 'matryoshka://output/';

export interface SavedFile {
  name: string;
  path: string;
  /** `matryoshka://output/<name>`, readable through resources/read. */
  uri: string;
  fileUri: string;
  mimeType: string;
  bytes: number;
}

export function outputUri(name: string): string {
  return OUTPUT_URI_PREFIX + encodeURIComponent(name);
}

/**
 * The folder generated files live in. Writes are atomic (temporary file, then a hard link that fails
 * instead of overwriting) and names are vetted on the way in and on the way out, so neither a hostile
 * `name` argument nor a crafted resource URI can reach outside the folder.
 */
export class OutputStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** Saves under `<stem>.<ext>`, or `<stem>-2.<ext>`, … if that exists: never overwrites. */
  async save(bytes: Uint8Array, stem: string, ext: string): Promise<SavedFile> {
    const safe = safeStem(stem);
    if (!(OUTPUT_EXTENSIONS as readonly string[]).includes(ext)) {
      throw new MatryoshkaError('IO_ERROR', `unsupported file extension "${ext}"`);
    }
    try {
      await mkdir(this.dir, { recursive: true });
      const temporary = join(this.dir, `.${randomUUID()}.tmp`);
      await writeFile(temporary, bytes, { flag: 'wx' });
      try {
        for (let attempt = 1; attempt < 10_000; attempt++) {
          const name = attempt === 1 ? `${safe}.${ext}` : `${safe}-${attempt}.${ext}`;
          if (await this.claim(temporary, join(this.dir, name))) return this.describe(name, bytes.byteLength);
        }
        throw new MatryoshkaError('IO_ERROR', `too many files named like "${safe}.${ext}" in ${this.dir}`);
      } finally {
        await unlink(temporary).catch(() => {});
      }
    } catch (error) {
      if (MatryoshkaError.isInstance(error)) throw error;
      throw new MatryoshkaError('IO_ERROR', `could not save to ${this.dir}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Reads a file this store could have written; any other name is an IO_ERROR. */
  async read(name: string): Promise<{ bytes: Uint8Array; mimeType: string; path: string }> {
    const path = await this.locate(name);
    return { bytes: new Uint8Array(await readFile(path)), mimeType: mimeTypeOf(name), path };
  }

  /** The newest files first. */
  async list(limit = 100): Promise<SavedFile[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter(isSafeFileName);
    } catch {
      return [];
    }
    const entries = await Promise.all(
      names.map(async (name) => {
        const info = await stat(join(this.dir, name)).catch(() => undefined);
        return info?.isFile() ? { name, size: info.size, mtime: info.mtimeMs } : undefined;
      }),
    );
    return entries
      .filter((e) => e !== undefined)
      .sort((a, b) => b.mtime - a.mtime)
      .slice(0, limit)
      .map((e) => this.describe(e.name, e.size));
  }

  /** Resolves `name` to a path inside the folder, or throws. Follows links only if they stay inside. */
  async locate(name: string): Promise<string> {
    if (!isSafeFileName(name)) throw notFound(name);
    const path = join(this.dir, name);
    let real: string;
    let realDir: string;
    try {
      [real, realDir] = await Promise.all([realpath(path), realpath(this.dir)]);
    } catch {
      throw notFound(name);
    }
    const rel = relative(realDir, real);
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || resolve(realDir, rel) !== real)
      throw notFound(name);
    return real;
  }

  private describe(name: string, bytes: number): SavedFile {
    const path = join(this.dir, name);
    return {
      name,
      path,
      uri: outputUri(name),
      fileUri: pathToFileURL(path).href,
      mimeType: mimeTypeOf(name),
      bytes,
    };
  }

  private async claim(temporary: string, target: string): Promise<boolean> {
    try {
      await link(temporary, target);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
    }
    // File systems without hard links (some network and FAT mounts): check, then rename. Racy only
    // against another writer choosing the same name in the same millisecond.
    if (
      await stat(target).then(
        () => true,
        () => false,
      )
    )
      return false;
    await rename(temporary, target);
    return true;
  }
}

function notFound(name: string): MatryoshkaError {
  return new MatryoshkaError('IO_ERROR', `no generated file named "${name}" in the output folder`);
}
