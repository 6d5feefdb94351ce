import { realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, parse, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MatryoshkaError } from '@matryoshka/core';
import { resolveTarget } from '@matryoshka/core/lite';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { RootsListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from './log.js';

const ROOTS_TIMEOUT_MS = 5_000;

export interface AccessConfig {
  /** Folders given with --allow-dir: readable and writable whatever the client's roots. */
  allowDirs: readonly string[];
  /** The server's working directory: allowed when the client offers no roots (unless it is `/`). */
  cwd: string;
}

export type Access = 'read' | 'write';

/**
 * The one file-access policy of a client session. Paths a tool reads or writes must lie inside the
 * client's file roots (the folders the user opened), or, for a client without roots, inside the
 * server's working directory; folders given with --allow-dir are always allowed, and writes also
 * inside the output folder. Every path is resolved with links followed before it is judged, so no
 * link or `..` spelling leads outside.
 */
export class FileAccess {
  private roots?: Promise<string[] | undefined>;

  constructor(
    private readonly server: Server,
    private readonly config: AccessConfig,
    private readonly log: Logger,
    private readonly outputDir: () => Promise<string>,
  ) {
    server.setNotificationHandler(RootsListChangedNotificationSchema, () => {
      this.roots = undefined;
      this.onRootsChanged?.();
    });
  }

  /** Told when the client's roots change, so folders derived from them are decided again. */
  onRootsChanged?: () => void;

  /** The client's file:// roots, in its order; undefined when it offers none. */
  clientRoots(): Promise<string[] | undefined> {
    this.roots ??= this.listRoots();
    return this.roots;
  }

  /** The folders `access` may touch, in order: the first is where relative paths start. */
  async folders(access: Access): Promise<string[]> {
    const roots = await this.clientRoots();
    const cwdAllowed = parse(this.config.cwd).root !== this.config.cwd;
    const base = roots ?? (cwdAllowed ? [this.config.cwd] : []);
    const folders = [...base, ...this.config.allowDirs.map((d) => resolve(this.config.cwd, d))];
    if (access === 'write') folders.push(await this.outputDir());
    return [...new Set(folders)];
  }

  /** Where relative paths are taken from: the first allowed folder (the home folder if there is none). */
  async baseDir(): Promise<string> {
    return (await this.folders('read'))[0] ?? homedir();
  }

  /** The real path of `path` (relative to baseDir), if `access` to it is allowed; else INVALID_REQUEST. */
  async resolve(path: string, access: Access): Promise<string> {
    const absolute = isAbsolute(path) ? resolve(path) : resolve(await this.baseDir(), path);
    const folders = await this.folders(access);
    let real: string;
    try {
      // Judged where the path really leads, existing or not: whether it exists is the reader's concern.
      real = await resolveTarget(absolute);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : (error as Error).message;
      throw new MatryoshkaError('IO_ERROR', `cannot ${access} ${path}: ${why}`, { cause: error });
    }
    for (const folder of folders) {
      const realFolder = await realpath(folder).catch(() => resolve(folder));
      if (inside(realFolder, real)) return real;
    }
    throw new MatryoshkaError(
      'INVALID_REQUEST',
      `${path}: outside the folders this server may ${access === 'read' ? 'read' : 'write'} ` +
        `(${folders.length > 0 ? folders.join(', ') : 'none'}). Open the folder in the client (as a root) or start the server with --allow-dir <folder>.`,
      { details: { path, resolved: real, rule: `${access}-inside-allowed-folders`, allowed: folders } },
    );
  }

  private async listRoots(): Promise<string[] | undefined> {
    if (!this.server.getClientCapabilities()?.roots) return undefined;
    try {
      const { roots } = await this.server.listRoots(undefined, { timeout: ROOTS_TIMEOUT_MS });
      const files = roots.filter((r) => r.uri.startsWith('file://')).map((r) => fileURLToPath(r.uri));
      return files.length > 0 ? files : undefined;
    } catch (error) {
      this.log.warn(`could not list the client's roots: ${(error as Error).message}`);
      this.roots = undefined; // ask again next time
      return undefined;
    }
  }
}

/** Whether `path` is `folder` itself or below it (both real, absolute). */
function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
