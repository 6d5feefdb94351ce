import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MatryoshkaError } from '@matryoshka/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutputStore, outputUri } from './output-store.js';

let root: string;
let store: OutputStore;
const bytes = (text: string) => new TextEncoder().encode(text);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mcp-store-'));
  store = new OutputStore(join(root, 'out'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('OutputStore', () => {
  it('creates the folder, writes the bytes and describes the file', async () => {
    const saved = await store.save(bytes('one'), 'apple', 'png');
    expect(saved.name).toBe('apple.png');
    expect(saved.path).toBe(join(root, 'out', 'apple.png'));
    expect(saved.uri).toBe('matryoshka://output/apple.png');
    expect(saved.fileUri).toBe(`file://${saved.path}`);
    expect(saved.mimeType).toBe('image/png');
    expect(saved.bytes).toBe(3);
    expect(await readFile(saved.path, 'utf8')).toBe('one');
  });

  it('never overwrites: a second file of the same name gets a suffix', async () => {
    const a = await store.save(bytes('a'), 'same', 'png');
    const b = await store.save(bytes('b'), 'same', 'png');
    const c = await store.save(bytes('c'), 'same', 'png');
    expect([a.name, b.name, c.name]).toEqual(['same.png', 'same-2.png', 'same-3.png']);
    expect(await readFile(a.path, 'utf8')).toBe('a');
  });

  it('keeps hostile names inside the folder and leaves no temporary files', async () => {
    const saved = await Promise.all(
      ['../../escape', '/etc/passwd', '..', 'a/../../b', '\\..\\win'].map((name, i) =>
        store.save(bytes(String(i)), name, 'png'),
      ),
    );
    for (const file of saved) expect(dirname(file.path)).toBe(join(root, 'out'));
    expect((await readdir(root)).sort()).toEqual(['out']);
    const names = await readdir(join(root, 'out'));
    expect(names).toHaveLength(5);
    expect(names.some((n) => n.endsWith('.tmp'))).toBe(false);
  });

  it('reads back its own files, newest first in the listing', async () => {
    await store.save(bytes('old'), 'old', 'png');
    await new Promise((r) => setTimeout(r, 20));
    await store.save(bytes('new'), 'new', 'webp');
    const list = await store.list();
    expect(list.map((f) => f.name)).toEqual(['new.webp', 'old.png']);
    const read = await store.read('new.webp');
    expect(new TextDecoder().decode(read.bytes)).toBe('new');
    expect(read.mimeType).toBe('image/webp');
  });

  it('refuses names and links that lead outside the folder', async () => {
    await writeFile(join(root, 'secret.png'), 'secret');
    await store.save(bytes('x'), 'inside', 'png');
    await symlink(join(root, 'secret.png'), join(root, 'out', 'link.png'));
    await writeFile(join(root, 'out', 'notes.txt'), 'private');
    for (const name of [
      '../secret.png',
      '..%2Fsecret.png',
      'link.png',
      'missing.png',
      'notes.txt',
      '',
      '.',
    ]) {
      await expect(store.read(name)).rejects.toSatisfy(
        (e) => MatryoshkaError.isInstance(e) && e.code === 'IO_ERROR',
      );
    }
  });

  it('encodes names into URIs', () => {
    expect(outputUri('café.png')).toBe('matryoshka://output/caf%C3%A9.png');
  });
});
