import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputPathError, resolveOutputPath } from './output-path.js';

const doc = { documentPath: '/ws/docs/guide/intro.md', workspaceFolder: '/ws' };

describe('resolveOutputPath', () => {
  it('puts the file in images/ beside the document by default', () => {
    expect(resolveOutputPath('${documentDirName}/images/', doc, 'apple-1.png')).toBe(
      '/ws/docs/guide/images/apple-1.png',
    );
  });

  it('expands every markdown.copyFiles.destination variable', () => {
    const pattern =
      '${documentWorkspaceFolder}/out/${documentRelativeDirName}/${documentBaseName}.${documentExtName}/${documentFileName}-${fileExtName}/${fileName}';
    expect(resolveOutputPath(pattern, doc, 'apple-1.png')).toBe(
      '/ws/out/docs/guide/intro.md/intro.md-png/apple-1.png',
    );
  });

  it('treats a pattern without ${fileName} as a folder, with or without a trailing slash', () => {
    expect(resolveOutputPath('assets', doc, 'a.png')).toBe('/ws/docs/guide/assets/a.png');
    expect(resolveOutputPath('assets/', doc, 'a.png')).toBe('/ws/docs/guide/assets/a.png');
  });

  it('uses ${fileName} where the pattern places it', () => {
    expect(
      resolveOutputPath('${documentWorkspaceFolder}/media/${documentBaseName}-${fileName}', doc, 'a.png'),
    ).toBe('/ws/media/intro-a.png');
  });

  it('resolves relative patterns against the document folder, and ../ leaves it', () => {
    expect(resolveOutputPath('../shared', doc, 'a.png')).toBe('/ws/docs/shared/a.png');
  });

  it('keeps absolute patterns', () => {
    expect(resolveOutputPath('/tmp/pictures/', doc, 'a.png')).toBe('/tmp/pictures/a.png');
  });

  it('falls back to the workspace folder for an untitled document', () => {
    expect(resolveOutputPath('${documentDirName}/images/', { workspaceFolder: '/ws' }, 'a.png')).toBe(
      '/ws/images/a.png',
    );
    expect(resolveOutputPath('${documentRelativeFilePath}x/', { workspaceFolder: '/ws' }, 'a.png')).toBe(
      '/ws/x/a.png',
    );
  });

  it('uses the document folder as the workspace when there is no workspace', () => {
    expect(
      resolveOutputPath('${documentWorkspaceFolder}/img/', { documentPath: '/home/u/notes.md' }, 'a.png'),
    ).toBe('/home/u/img/a.png');
  });

  it('treats an empty setting as the document folder', () => {
    expect(resolveOutputPath('  ', doc, 'a.png')).toBe(path.join('/ws/docs/guide', 'a.png'));
  });

  it('refuses unknown variables with a message naming the known ones', () => {
    expect(() => resolveOutputPath('${documentDir}/x', doc, 'a.png')).toThrow(OutputPathError);
    expect(() => resolveOutputPath('${documentDir}/x', doc, 'a.png')).toThrow(/\$\{documentDirName\}/);
  });

  it('refuses when neither a saved document nor a folder is open', () => {
    expect(() => resolveOutputPath('images/', {}, 'a.png')).toThrow(OutputPathError);
  });
});
