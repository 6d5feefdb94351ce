import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, link, mkdtemp, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../exit-codes.js';
import { fixtureArgs, runInProcess } from '../run-in-process.test-support.js';

const GARDEN = fileURLToPath(new URL('../../../../examples/decks/garden.pptx', import.meta.url));
const MARP = fileURLToPath(new URL('../../../../examples/decks/garden-marp.md', import.meta.url));
const ALL_PICTURES = fileURLToPath(
  new URL('../../../../examples/decks/powerpoint-sample.pptx', import.meta.url),
);

const sha = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

async function deckDir(
  deck = GARDEN,
  name = 'talk.pptx',
): Promise<{ cwd: string; deck: string; hash: string }> {
  const cwd = await mkdtemp(path.join(tmpdir(), 'cli-slides-sec-'));
  const target = path.join(cwd, name);
  await copyFile(deck, target);
  return { cwd, deck: target, hash: await sha(target) };
}

// Every attack of the security review must fail with a clear message and leave every file as it was.
describe('matryoshka slides refuses outputs that would lose data', () => {
  it('a symbolic link to the input as -o: refused, the input unchanged', async () => {
    const { cwd, deck, hash } = await deckDir();
    await symlink(deck, path.join(cwd, 'link.pptx'));
    const run = await runInProcess(['slides', 'talk.pptx', '-o', 'link.pptx', ...fixtureArgs], { cwd });
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toMatch(/is the input file/);
    expect(await sha(deck)).toBe(hash);
  });

  it('a hard link to the input and another spelling of its path: refused', async () => {
    const { cwd, deck, hash } = await deckDir();
    await link(deck, path.join(cwd, 'hard.pptx'));
    for (const output of ['hard.pptx', './sub/../talk.pptx']) {
      const run = await runInProcess(['slides', 'talk.pptx', '-o', output, '--overwrite', ...fixtureArgs], {
        cwd,
      });
      expect(run.code, output).toBe(ExitCode.usage);
      expect(run.stderr, output).toMatch(/is the input file|must differ/);
    }
    expect(await sha(deck)).toBe(hash);
  });

  it('a FIFO or a device as -o: refused, left a FIFO / device', async () => {
    const { cwd, deck, hash } = await deckDir();
    const fifo = path.join(cwd, 'pipe.pptx');
    execFileSync('mkfifo', [fifo]);
    const run = await runInProcess(
      ['slides', 'talk.pptx', '-o', 'pipe.pptx', '--overwrite', ...fixtureArgs],
      { cwd },
    );
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toMatch(/named pipe \(FIFO\), not a regular file/);
    expect((await stat(fifo)).isFIFO()).toBe(true);
    const device = await runInProcess(['slides', 'talk.pptx', '-o', '/dev/null', ...fixtureArgs], { cwd });
    expect(device.code).toBe(ExitCode.usage);
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true);
    expect(await sha(deck)).toBe(hash);
  });

  it('an existing output is kept unless --overwrite, and nothing is drawn before saying so', async () => {
    const { cwd } = await deckDir();
    await writeFile(path.join(cwd, 'talk.illustrated.pptx'), 'keep me');
    const run = await runInProcess(['slides', 'talk.pptx', ...fixtureArgs], { cwd });
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toMatch(/already exists; nothing was drawn or written/);
    expect(run.stderr).not.toMatch(/drawing slide/);
    expect(await readFile(path.join(cwd, 'talk.illustrated.pptx'), 'utf8')).toBe('keep me');
    const again = await runInProcess(['slides', 'talk.pptx', '--overwrite', ...fixtureArgs], { cwd });
    expect(again.code, again.stderr).toBe(ExitCode.ok);
    expect((await readFile(path.join(cwd, 'talk.illustrated.pptx'))).subarray(0, 2).toString()).toBe('PK');
  });

  it('an output whose extension is not the deck type is refused (a deck never lands in a script)', async () => {
    const { cwd } = await deckDir(MARP, 'talk.md');
    await writeFile(path.join(cwd, 'run.sh'), '#!/bin/sh\necho hello\n');
    for (const output of ['run.sh', 'page.html', 'talk.pptx']) {
      const run = await runInProcess(['slides', 'talk.md', '-o', output, '--overwrite', ...fixtureArgs], {
        cwd,
      });
      expect(run.code, output).toBe(ExitCode.usage);
      expect(run.stderr, output).toMatch(/must be written to a \.md file/);
    }
    expect(await readFile(path.join(cwd, 'run.sh'), 'utf8')).toBe('#!/bin/sh\necho hello\n');
    expect((await readdir(cwd)).sort()).toEqual(['run.sh', 'talk.md']);
  });

  it('-o - is a usage error', async () => {
    const { cwd } = await deckDir();
    const run = await runInProcess(['slides', 'talk.pptx', '-o', '-', ...fixtureArgs], { cwd });
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toMatch(/-o -: slides writes a deck file/);
  });

  it('--slides outside the deck is a usage error naming the deck size, and writes nothing', async () => {
    const { cwd } = await deckDir();
    const run = await runInProcess(['slides', 'talk.pptx', '--slides', '2,9', ...fixtureArgs], { cwd });
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toMatch(/slides: 9 is not in the deck, which has 7 slides/);
    expect(await readdir(cwd)).toEqual(['talk.pptx']);
  });

  it('a run that illustrates nothing writes nothing and says so', async () => {
    const { cwd } = await deckDir(ALL_PICTURES, 'pictures.pptx');
    const run = await runInProcess(['slides', 'pictures.pptx', ...fixtureArgs], { cwd });
    expect(run.code, run.stderr).toBe(ExitCode.ok);
    expect(run.stderr).toMatch(/nothing written/);
    expect(run.stdout).toBe('');
    expect(await readdir(cwd)).toEqual(['pictures.pptx']);
  });

  it('a password-protected deck gets its own message, not "not a zip archive"', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'cli-slides-sec-'));
    // An encrypted OOXML file is an OLE compound file holding an "EncryptedPackage" stream.
    const header = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const body = Buffer.concat([
      header,
      Buffer.alloc(504),
      Buffer.from('EncryptedPackage', 'utf16le'),
      Buffer.alloc(1024),
    ]);
    await writeFile(path.join(cwd, 'secret.pptx'), body);
    const run = await runInProcess(['slides', 'secret.pptx', ...fixtureArgs], { cwd });
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toMatch(/secret\.pptx is password-protected/);
    expect(run.stderr).not.toMatch(/not a zip archive/);
    expect(await readdir(cwd)).toEqual(['secret.pptx']);
  });
});
