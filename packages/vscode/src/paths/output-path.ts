import * as path from 'node:path';

/** Where the image is going to be referenced from. */
export interface DocumentContext {
  /** Absolute file-system path of the document; undefined for an untitled document. */
  documentPath?: string;
  /** Absolute path of the workspace folder holding the document (or the first one). */
  workspaceFolder?: string;
}

export class OutputPathError extends Error {
  override name = 'OutputPathError';
}

const VARIABLE = /\$\{([A-Za-z]+)\}/g;

/**
 * Resolves `matryoshka.outputFolder` to the absolute path of the file to write, with the variables and
 * conventions of VS Code's `markdown.copyFiles.destination`, so users configure both the same way.
 * A pattern without `${fileName}` names a folder; relative patterns are resolved against the
 * document's folder.
 */
export function resolveOutputPath(pattern: string, context: DocumentContext, fileName: string): string {
  const { documentPath, workspaceFolder } = context;
  const documentDir = documentPath ? path.dirname(documentPath) : workspaceFolder;
  if (!documentDir) {
    throw new OutputPathError('Save the document or open a folder first: there is nowhere to put the image.');
  }
  const root = workspaceFolder ?? documentDir;
  const documentFileName = documentPath ? path.basename(documentPath) : '';
  const documentExt = path.extname(documentFileName);
  const fileExt = path.extname(fileName);
  const values: Record<string, string> = {
    documentDirName: documentDir,
    documentRelativeDirName: toPosix(path.relative(root, documentDir)),
    documentFileName,
    documentBaseName: documentFileName.slice(0, documentFileName.length - documentExt.length),
    documentExtName: documentExt.replace(/^\./, ''),
    documentFilePath: documentPath ?? '',
    documentRelativeFilePath: documentPath ? toPosix(path.relative(root, documentPath)) : '',
    documentWorkspaceFolder: root,
    workspaceFolder: root,
    fileName,
    fileExtName: fileExt.replace(/^\./, ''),
  };

  const source = pattern.trim() === '' ? '${documentDirName}/' : pattern.trim();
  const expanded = source.replace(VARIABLE, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new OutputPathError(
        `Unknown variable ${whole} in matryoshka.outputFolder. Known: ${Object.keys(values)
          .map((k) => `\${${k}}`)
          .join(', ')}.`,
      );
    }
    return value;
  });
  const names = source.includes('${fileName}') ? expanded : path.join(expanded, fileName);
  return path.resolve(documentDir, names);
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
