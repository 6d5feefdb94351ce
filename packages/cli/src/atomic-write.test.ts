import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MatryoshkaError } from '@matryoshka/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempPathFor, writeFilesAtomically } from './atomic-write.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'matryoshka-cli-'));
});
afterEach(async () => {
  await chmod(dir, 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const bytes = (text: string) => new TextEncoder().encode(text);

describe('writeFilesAtomically', () => {
  it('writes every file, creating folders, and leaves no temp file', async () => {
    const a = path.join(dir, 'a.png');
    const b = path.join(dir, 'nested', 'deeper', 'b.png');
    await writeFilesAtomically([
      { path: a, bytes: bytes('one') },
      { path: b, bytes: bytes('two') },
    ]);
    expect(await readFile(a, 'utf8')).toBe('one');
    expect(await readFile(b, 'utf8')).toBe('two');
    expect(await readdir(dir)).toEqual(['a.png', 'nested']);
  });

  it('replaces an existing file whole', async () => {
    const a = path.join(dir, 'a.png');
    await writeFile(a, 'old contents that are longer');
    await writeFilesAtomically([{ path: a, bytes: bytes('new') }]);
    expect(await readFile(a, 'utf8')).toBe('new');
  });

  it('writes nothing when aborted before the rename', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await writeFilesAtomically(
      [{ path: path.join(dir, 'a.png'), bytes: bytes('x') }],
      controller.signal,
    ).catch((e: unknown) => e);
    expect(MatryoshkaError.isInstance(error) && error.code).toBe('ABORTED');
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports IO_ERROR naming the file and cleans up the files already staged', async () => {
    const blocker = path.join(dir, 'not-a-folder');
    await writeFile(blocker, 'file');
    const good = path.join(dir, 'good.png');
    const bad = path.join(blocker, 'bad.png');
    const error = await writeFilesAtomically([
      { path: good, bytes: bytes('ok') },
      { path: bad, bytes: bytes('no') },
    ]).catch((e: unknown) => e);
    expect(MatryoshkaError.isInstance(error) && error.code).toBe('IO_ERROR');
    expect((error as Error).message).toContain(bad);
    expect((await readdir(dir)).sort()).toEqual(['not-a-folder']);
  });

  it('puts temp files beside the target, hidden and unique', () => {
    const target = path.join(dir, 'x.png');
    const first = tempPathFor(target);
    expect(path.dirname(first)).toBe(dir);
    expect(path.basename(first)).toMatch(/^\.x\.png\.\d+-[0-9a-f]{8}\.tmp$/);
    expect(tempPathFor(target)).not.toBe(first);
  });
});
