import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { link, lstat, mkdir, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { MatryoshkaError } from '../errors.js';
import { type FileIdentity, identityOf, sameFile } from './file-identity.js';
import { pendingTempFiles } from './temp-files.js';

export interface FileToWrite {
  path: string;
  bytes: Uint8Array | string;
}

export interface WriteOptions {
  /** Replace an existing regular file. Default false: an existing file is refused, never touched. */
  overwrite?: boolean;
  /** Files that must never be written, by identity (device + inode), whatever path spells them. */
  protect?: readonly FileIdentity[];
  /** Aborted before the files are renamed into place: nothing is written. */
  signal?: AbortSignal;
}

/**
 * The one way Matryoshka writes files. Every target is resolved (links followed) and checked before
 * anything is written: it must be a regular file or not exist yet, must not be a protected file,
 * and exists only with `overwrite`. Each file is written to a hidden temporary sibling and flushed;
 * only when all are complete are they moved into place, so a reader never sees a torn file and a
 * failure or abort leaves nothing behind. Returns the real paths written.
 */
export async function writeFilesAtomically(
  files: readonly FileToWrite[],
  options: WriteOptions = {},
): Promise<string[]> {
  const targets: string[] = [];
  for (const file of files) targets.push(await checkTarget(file.path, options));
  const temps: string[] = [];
  let current = files[0]?.path ?? '';
  try {
    for (const [k, file] of files.entries()) {
      current = file.path;
      temps.push(await writeTemp(targets[k] as string, file.bytes));
    }
    if (options.signal?.aborted)
      throw new MatryoshkaError('ABORTED', 'aborted before the files were written');
    for (const [k, target] of targets.entries()) {
      current = files[k]?.path ?? target;
      await commit(temps[k] as string, target, options.overwrite === true);
      pendingTempFiles.delete(temps[k] as string);
    }
    return targets;
  } catch (error) {
    await Promise.all(
      temps.map(async (temp) => {
        if (!pendingTempFiles.has(temp)) return;
        pendingTempFiles.delete(temp);
        await unlink(temp).catch(() => undefined);
      }),
    );
    if (MatryoshkaError.isInstance(error)) throw error;
    throw new MatryoshkaError('IO_ERROR', `cannot write ${current}: ${reason(error)}`, { cause: error });
  }
}

/** One file; see writeFilesAtomically. */
export async function writeFileAtomic(
  target: string,
  bytes: Uint8Array | string,
  options: WriteOptions = {},
): Promise<string> {
  const [written] = await writeFilesAtomically([{ path: target, bytes }], options);
  return written as string;
}

/**
 * The path a write will really land on, after every check. A target the rules refuse is an
 * INVALID_REQUEST naming the rule (the caller chose it); a file system failure is an IO_ERROR.
 */
export async function checkTarget(target: string, options: WriteOptions = {}): Promise<string> {
  const absolute = path.resolve(target);
  const real = await resolveTarget(absolute);
  let info: Stats | undefined;
  try {
    info = await stat(real);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(target, reason(error), error);
  }
  if (info !== undefined) {
    if (!info.isFile()) {
      throw refused(target, `it is ${describeKind(info)}, not a regular file; choose a file path`);
    }
    const identity = identityOf(info);
    if (options.protect?.some((p) => sameFile(p, identity))) {
      throw refused(target, 'it is the input file (the input is never modified); choose another output');
    }
    if (options.overwrite !== true) {
      throw refused(
        target,
        'the file already exists (nothing was overwritten); ask to overwrite it explicitly',
      );
    }
  }
  return real;
}

/**
 * Where a path really leads, links followed, whether or not it exists yet: a file that does not
 * exist resolves the deepest folder above it that does. Access checks must judge this path.
 */
export async function resolveTarget(absolute: string): Promise<string> {
  try {
    return await realpath(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(absolute, reason(error), error);
  }
  const isDanglingLink = await lstat(absolute).then(
    (s) => s.isSymbolicLink(),
    () => false,
  );
  if (isDanglingLink) throw refused(absolute, 'it is a link to a file that does not exist');
  // The file does not exist: resolve the deepest folder that does, then append the rest.
  const rest: string[] = [path.basename(absolute)];
  let dir = path.dirname(absolute);
  for (;;) {
    try {
      return path.join(await realpath(dir), ...rest);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' || path.dirname(dir) === dir) throw ioError(absolute, reason(error), error);
      rest.unshift(path.basename(dir));
      dir = path.dirname(dir);
    }
  }
}

async function writeTemp(target: string, bytes: Uint8Array | string): Promise<string> {
  await mkdir(path.dirname(target), { recursive: true });
  // Hidden, in the target's own folder (rename is only atomic within one file system), unique per call.
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  const handle = await open(temp, 'wx', 0o644);
  pendingTempFiles.add(temp);
  try {
    await handle.writeFile(bytes);
    // Flushed before the rename, or a crash could leave a complete-looking name over empty data.
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

async function commit(temp: string, target: string, overwrite: boolean): Promise<void> {
  if (overwrite) {
    await rename(temp, target);
    return;
  }
  // A hard link fails if the name exists, so a file created since the check is not overwritten either.
  try {
    await link(temp, target);
    await unlink(temp);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw ioError(target, 'the file appeared while writing (nothing was overwritten)');
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
  }
  // File systems without hard links (some network and FAT mounts): check, then rename.
  if (
    await lstat(target).then(
      () => true,
      () => false,
    )
  )
    throw ioError(target, 'the file appeared while writing (nothing was overwritten)');
  await rename(temp, target);
}

function describeKind(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

function refused(target: string, why: string): MatryoshkaError {
  return new MatryoshkaError('INVALID_REQUEST', `cannot write ${target}: ${why}`, {
    details: { path: target },
  });
}

function ioError(target: string, why: string, cause?: unknown): MatryoshkaError {
  return new MatryoshkaError('IO_ERROR', `cannot write ${target}: ${why}`, {
    details: { path: target },
    ...(cause === undefined ? {} : { cause }),
  });
}
