import { homedir } from 'node:os';
import { parse, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { RootsListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { OUTPUT_FOLDER_NAME } from './config.js';
import type { Logger } from './log.js';
import { OutputStore } from './output-store.js';

const ROOTS_TIMEOUT_MS = 5_000;

/**
 * Decides, per client session, where files go: the configured folder if there is one; else a
 * `matryoshka-output` folder inside the client's first file:// root (the project the user has open);
 * else one in the server's working directory, or in the home folder when that directory is the file
 * system's root (desktop apps start servers in `/`, where nothing can be written). Roots are asked
 * for lazily and again after the client says they changed.
 */
export class OutputFolder {
  private current?: Promise<OutputStore>;

  constructor(
    private readonly server: Server,
    private readonly configured: string | undefined,
    private readonly log: Logger,
    private readonly cwd: string = process.cwd(),
  ) {
    if (configured === undefined) {
      server.setNotificationHandler(RootsListChangedNotificationSchema, () => {
        this.current = undefined;
      });
    }
  }

  store(): Promise<OutputStore> {
    this.current ??= this.resolve().then((dir) => new OutputStore(dir));
    return this.current;
  }

  /** Tells the client that resources/list has new entries (a no-op while disconnected). */
  announceNewFiles(): void {
    this.server.sendResourceListChanged().catch(() => {});
  }

  /** The folder relative paths are taken from: the client's first root, else the working directory. */
  async baseDir(): Promise<string> {
    return (await this.firstFileRoot()) ?? this.cwd;
  }

  private async resolve(): Promise<string> {
    if (this.configured !== undefined) return resolve(this.cwd, this.configured);
    const root = await this.firstFileRoot();
    const base = root ?? (parse(this.cwd).root === this.cwd ? homedir() : this.cwd);
    const dir = resolve(base, OUTPUT_FOLDER_NAME);
    this.log.debug(`output folder: ${dir}${root ? ' (from the client root)' : ''}`);
    return dir;
  }

  private async firstFileRoot(): Promise<string | undefined> {
    if (!this.server.getClientCapabilities()?.roots) return undefined;
    try {
      const { roots } = await this.server.listRoots(undefined, { timeout: ROOTS_TIMEOUT_MS });
      const root = roots.find((r) => r.uri.startsWith('file://'));
      return root ? fileURLToPath(root.uri) : undefined;
    } catch (error) {
      this.log.warn(
        `could not list the client's roots, using the working directory: ${(error as Error).message}`,
      );
      return undefined;
    }
  }
}
