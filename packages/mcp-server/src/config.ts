/** Everything that shapes the server's behaviour; the CLI fills it from flags and environment. */
export interface ServerConfig {
  /** Where generated files go. Unset: the client's first file:// root + `/matryoshka-output`, else `./matryoshka-output`. */
  outputDir?: string;
  /** Longest side of the inline thumbnail, in pixels. 0 turns inline images off. */
  thumbnailSize: number;
  thumbnailFormat: 'png' | 'webp';
  /** Budget for all inline image data of one tool result, in bytes (before base64). */
  maxInlineBytes: number;
  /** Generations allowed to wait in the engine's queue; one more is refused with an isError result. */
  maxQueue: number;
  /** Calls one client session may have running or waiting; one more is refused (BUSY). */
  maxQueuePerSession: number;
  /** Work one call may ask for, in pixel-steps (steps × count × frames × width × height); more is refused up front. */
  maxWork: number;
  /** Folders every session may read and write besides its roots (--allow-dir). */
  allowDirs: string[];
  /** The working directory paths and the no-roots policy start from (tests set it). */
  cwd?: string;
}

export const DEFAULT_CONFIG: ServerConfig = {
  thumbnailSize: 256,
  thumbnailFormat: 'png',
  // Claude Desktop rejects results near 1 MB and base64 inflates by 4/3: 256 KiB stays near a third of that.
  maxInlineBytes: 256 * 1024,
  maxQueue: 8,
  maxQueuePerSession: 4,
  // 16.8M pixel-steps: 16 pictures of 64 px at 64 steps, or 4 of 256 px at 64 steps (a few minutes
  // on two cores); refuses the 1000-step, 16-picture call that would hold the server for 20 minutes.
  maxWork: 2 ** 24,
  allowDirs: [],
};

export const OUTPUT_FOLDER_NAME = 'matryoshka-output';

/** Streamable HTTP: client sessions kept open at once. */
export const DEFAULT_MAX_SESSIONS = 64;
