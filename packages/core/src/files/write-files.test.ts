import { execFileSync } from 'node:child_process';
import {
  chmod,
  link,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MatryoshkaError } from '../errors.js';
import { fileIdentity } from './file-identity.js';
import { writeFileAtomic, writeFilesAtomically } from './write-files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'matryoshka-write-'));
});
afterEach(async () => {
  await chmod(dir, 0o755).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const bytes = (text: string) => new TextEncoder().encode(text);
const codeOf = (error: unknown) => (MatryoshkaError.isInstance(error) ? error.code : String(error));

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

  it('refuses an existing file unless asked to overwrite, then replaces it whole', async () => {
    const a = path.join(dir, 'a.png');
    await writeFile(a, 'old contents that are longer');
    const error = await writeFileAtomic(a, bytes('new')).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('INVALID_REQUEST');
    expect((error as Error).message).toMatch(/already exists/);
    expect(await readFile(a, 'utf8')).toBe('old contents that are longer');
    await writeFileAtomic(a, bytes('new'), { overwrite: true });
    expect(await readFile(a, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['a.png']);
  });

  it('never writes a protected file, through a link, a hard link or another spelling', async () => {
    const input = path.join(dir, 'deck.pptx');
    await writeFile(input, 'the input');
    await symlink(input, path.join(dir, 'link.pptx'));
    await link(input, path.join(dir, 'hard.pptx'));
    await mkdir(path.join(dir, 'sub'));
    const protect = [(await fileIdentity(input)) as NonNullable<Awaited<ReturnType<typeof fileIdentity>>>];
    for (const target of ['link.pptx', 'hard.pptx', 'sub/../deck.pptx', './deck.pptx']) {
      const error = await writeFileAtomic(path.join(dir, target), bytes('x'), {
        overwrite: true,
        protect,
      }).catch((e: unknown) => e);
      expect((error as Error).message, target).toMatch(/is the input file/);
    }
    expect(await readFile(input, 'utf8')).toBe('the input');
  });

  it('refuses folders, FIFOs and devices as targets, leaving them as they were', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    for (const [target, kind] of [
      [fifo, /named pipe/],
      [dir, /folder/],
      ['/dev/null', /device/],
    ] as const) {
      const error = await writeFileAtomic(target, bytes('x'), { overwrite: true }).catch((e: unknown) => e);
      expect(codeOf(error)).toBe('INVALID_REQUEST');
      expect((error as Error).message).toMatch(kind);
    }
    expect((await stat(fifo)).isFIFO()).toBe(true);
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true);
  });

  it('writes through a link to a regular file only when overwriting, and refuses a dangling link', async () => {
    const real = path.join(dir, 'real.png');
    await writeFile(real, 'old');
    await symlink(real, path.join(dir, 'alias.png'));
    const [written] = await writeFilesAtomically(
      [{ path: path.join(dir, 'alias.png'), bytes: bytes('new') }],
      {
        overwrite: true,
      },
    );
    expect(written).toBe(real);
    expect(await readFile(real, 'utf8')).toBe('new');
    await symlink(path.join(dir, 'missing.png'), path.join(dir, 'dangling.png'));
    const error = await writeFileAtomic(path.join(dir, 'dangling.png'), bytes('x')).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/does not exist/);
  });

  it('checks every target before writing any, so one bad target writes nothing', async () => {
    await writeFile(path.join(dir, 'taken.png'), 'keep');
    const error = await writeFilesAtomically([
      { path: path.join(dir, 'fresh.png'), bytes: bytes('1') },
      { path: path.join(dir, 'taken.png'), bytes: bytes('2') },
    ]).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('INVALID_REQUEST');
    expect((await readdir(dir)).sort()).toEqual(['taken.png']);
  });

  it('writes nothing when aborted before the rename', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await writeFilesAtomically([{ path: path.join(dir, 'a.png'), bytes: bytes('x') }], {
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('ABORTED');
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
    expect(codeOf(error)).toBe('IO_ERROR');
    expect((error as Error).message).toContain(bad);
    expect((await readdir(dir)).sort()).toEqual(['not-a-folder']);
  });
});
