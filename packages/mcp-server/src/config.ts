/** Everything that shapes the server's behaviour; the CLI fills it from flags and environment. */
export interface ServerConfig {
  /** Where generated files go. Unset: the client's first file:// root + `/matryoshka-output`, else `./matryoshka-output`. */
  outputDir?: string;
  /** Longest side of the inline thumbnail, in pixels. 0 turns inline images off. */
  thumbnailSize: number;
  thumbnailFormat: 'png' | 'webp';
  /** Budget for all inline image data of one tool result, in bytes (before base64). */
  maxInlineBytes: number;
  /** Generations running at once. */
  concurrency: number;
  /** Generations allowed to wait; one more is refused with an isError result. */
  maxQueue: number;
}

export const DEFAULT_CONFIG: ServerConfig = {
  thumbnailSize: 256,
  thumbnailFormat: 'png',
  // Claude Desktop rejects results near 1 MB and base64 inflates by 4/3: 256 KiB stays near a third of that.
  maxInlineBytes: 256 * 1024,
  concurrency: 1,
  maxQueue: 8,
};

export const OUTPUT_FOLDER_NAME = 'matryoshka-output';

/** Streamable HTTP: client sessions kept open at once. */
export const DEFAULT_MAX_SESSIONS = 64;
