import { homedir } from 'node:os';
import { parse, resolve } from 'node:path';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { OUTPUT_FOLDER_NAME } from './config.js';
import { type AccessConfig, FileAccess } from './file-access.js';
import type { Logger } from './log.js';
import { OutputStore } from './output-store.js';

/**
 * Decides, per client session, where files go: the configured folder if there is one; else a
 * `matryoshka-output` folder inside the client's first file:// root (the project the user has open);
 * else one in the server's working directory, or in the home folder when that directory is the file
 * system's root (desktop apps start servers in `/`, where nothing can be written). Decided lazily,
 * and again after the client says its roots changed. Owns the session's file-access policy.
 */
export class OutputFolder {
  private current?: Promise<OutputStore>;
  readonly access: FileAccess;

  constructor(
    private readonly server: Server,
    private readonly configured: string | undefined,
    private readonly log: Logger,
    access: Partial<AccessConfig> = {},
  ) {
    const config: AccessConfig = { cwd: access.cwd ?? process.cwd(), allowDirs: access.allowDirs ?? [] };
    this.cwd = config.cwd;
    this.access = new FileAccess(server, config, log, async () => (await this.store()).dir);
    this.access.onRootsChanged = () => {
      if (this.configured === undefined) this.current = undefined;
    };
  }

  private readonly cwd: string;

  store(): Promise<OutputStore> {
    this.current ??= this.resolve().then((dir) => new OutputStore(dir));
    return this.current;
  }

  /** Tells the client that resources/list has new entries (a no-op while disconnected). */
  announceNewFiles(): void {
    this.server.sendResourceListChanged().catch(() => {});
  }

  private async resolve(): Promise<string> {
    if (this.configured !== undefined) return resolve(this.cwd, this.configured);
    const root = (await this.access.clientRoots())?.[0];
    const base = root ?? (parse(this.cwd).root === this.cwd ? homedir() : this.cwd);
    const dir = resolve(base, OUTPUT_FOLDER_NAME);
    this.log.debug(`output folder: ${dir}${root ? ' (from the client root)' : ''}`);
    return dir;
  }
}
