import { stat } from 'node:fs/promises';

/** A file as the file system knows it: the same pair means the same file, whatever path leads there. */
export interface FileIdentity {
  dev: number;
  ino: number;
}

export function identityOf(info: { dev: number; ino: number }): FileIdentity {
  return { dev: info.dev, ino: info.ino };
}

export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** The identity of an existing file (links followed), or undefined when there is none. */
export async function fileIdentity(path: string): Promise<FileIdentity | undefined> {
  try {
    return identityOf(await stat(path));
  } catch {
    return undefined;
  }
}
