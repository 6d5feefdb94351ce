import { copyFile, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../exit-codes.js';
import { fixtureArgs, runInProcess } from '../run-in-process.test-support.js';

const GARDEN = fileURLToPath(new URL('../../../../examples/decks/garden.pptx', import.meta.url));

async function deckDir(): Promise<string> {
  const cwd = await mkdtemp(path.join(tmpdir(), 'cli-slides-'));
  await copyFile(GARDEN, path.join(cwd, 'talk.pptx'));
  return cwd;
}

describe('matryoshka slides', () => {
  it('illustrates a deck, prints the written path on stdout and a per-slide table on stderr', async () => {
    const cwd = await deckDir();
    const run = await runInProcess(['slides', 'talk.pptx', '--style', 'flat emoji style', ...fixtureArgs], {
      cwd,
    });
    expect(run.code, run.stderr).toBe(ExitCode.ok);
    expect(run.stdout).toBe('talk.illustrated.pptx\n');
    expect(run.stderr).toMatch(/SLIDE\s+STATUS/);
    expect(run.stderr).toMatch(/pptx · 5 illustrated · 2 skipped/);
    expect(run.stderr.match(/warning: .*fixture/g)).toHaveLength(1);
    expect((await readdir(cwd)).sort()).toEqual(['talk.illustrated.pptx', 'talk.pptx']);
  });

  it('--dry-run --json prints the plan as JSON and writes nothing (with --make-room allowed)', async () => {
    const cwd = await deckDir();
    const run = await runInProcess(
      ['slides', 'talk.pptx', '--dry-run', '--json', '--slides', '2-3', '--make-room'],
      { cwd },
    );
    expect(run.code, run.stderr).toBe(ExitCode.ok);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ ok: true, output: null, format: 'pptx' });
    expect(
      report.slides
        .filter((s: { status: string }) => s.status === 'planned')
        .map((s: { slide: number }) => s.slide),
    ).toEqual([2, 3]);
    expect(await readdir(cwd)).toEqual(['talk.pptx']);
  });

  it('--dry-run prints the plan on stdout', async () => {
    const cwd = await deckDir();
    const run = await runInProcess(['slides', 'talk.pptx', '--dry-run', '--style', 'pixel art'], { cwd });
    expect(run.code, run.stderr).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(
      /^1\s+planned\s+free-area\s+a green sprout growing from the soil, pixel art\s+from the speaker notes$/m,
    );
    // Below its bullets, in the empty rest of their box: nothing moved.
    expect(run.stdout).toMatch(/^2\s+planned\s+free-area\s/m);
    expect(run.stdout).toMatch(/^7\s+skipped\s+the speaker notes say "illustrate: no"/m);
    expect(run.stderr).toMatch(/dry run, nothing written/);
  });

  it('-o names the output', async () => {
    const cwd = await deckDir();
    const run = await runInProcess(
      ['slides', 'talk.pptx', '-o', 'out/new.pptx', '--slides', '3', ...fixtureArgs],
      { cwd },
    );
    expect(run.code, run.stderr).toBe(ExitCode.ok);
    expect(run.stdout).toBe(`${path.join('out', 'new.pptx')}\n`);
    expect(await readdir(path.join(cwd, 'out'))).toEqual(['new.pptx']);
  });

  it('exits 2 on usage errors, before loading a model', async () => {
    const cwd = await deckDir();
    for (const argv of [
      ['slides'],
      ['slides', 'talk.pptx', '--slides', 'x'],
      ['slides', 'talk.key'],
      ['slides', 'a.pptx', 'b.pptx'],
    ]) {
      const run = await runInProcess(argv, { cwd });
      expect(run.code, `${argv.join(' ')}: ${run.stderr}`).toBe(ExitCode.usage);
    }
  });

  it('exits 2 with a clear message for a file that is not a deck, and writes nothing', async () => {
    const cwd = await deckDir();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(cwd, 'notes.pptx'), 'just text');
    const run = await runInProcess(['slides', 'notes.pptx', ...fixtureArgs], { cwd });
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toMatch(/notes\.pptx is not a zip archive/);
    expect((await readdir(cwd)).sort()).toEqual(['notes.pptx', 'talk.pptx']);
  });
});
