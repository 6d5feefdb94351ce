import * as path from 'node:path';

/**
 * The path of `target` as written in a link inside a document at `documentPath`: relative, with `/`
 * separators on every platform (links are URLs, not file-system paths), `./` never added.
 */
export function relativeLinkPath(documentPath: string, target: string, pathApi: typeof path = path): string {
  const relative = pathApi.relative(pathApi.dirname(documentPath), target);
  return relative.split(pathApi.sep).join('/');
}
