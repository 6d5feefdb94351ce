import * as path from 'node:path';

/**
 * The local file an image link's target names, resolved against the document's folder; undefined
 * for a URL (`https:`, `data:` …), which no picture action can read or replace.
 */
export function linkTargetFile(documentPath: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.trim() === '') return undefined;
  return path.resolve(path.dirname(documentPath), target);
}
