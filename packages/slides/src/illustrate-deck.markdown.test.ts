import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { illustrateDeck } from './index.js';
import { exampleDeck, tinyEngine } from './test-support/tiny-engine.test-support.js';

const engine = tinyEngine();
afterAll(() => engine.close());

async function copyDeck(name: string): Promise<{ dir: string; input: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'slides-md-'));
  const input = join(dir, name);
  await copyFile(exampleDeck(name), input);
  return { dir, input };
}

/** True when `lines` contains every line of `original`, in order (nothing removed, only added). */
function keepsEveryLine(original: string[], lines: string[]): boolean {
  let at = 0;
  for (const line of lines) if (line === original[at]) at++;
  return at === original.length;
}

describe('Marp decks', () => {
  it('get ![bg right:40%](images/…) on bare slides, pictures saved beside the deck, nothing else changed', async () => {
    const { dir, input } = await copyDeck('garden-marp.md');
    const before = await readFile(input, 'utf8');
    const report = await illustrateDeck(input, { engine, style: 'flat emoji style' });
    expect(report.format).toBe('marp');
    expect(report.output).toBe(join(dir, 'garden-marp.illustrated.md'));
    expect(await readFile(input, 'utf8')).toBe(before);
    expect(report.slides.map((s) => s.reason ?? s.status)).toEqual([
      'illustrated',
      'illustrated',
      'illustrated',
      'has-picture',
      'directive',
    ]);
    const after = await readFile(report.output as string, 'utf8');
    expect(keepsEveryLine(before.split('\n'), after.split('\n'))).toBe(true);
    const added = after.split('\n').filter((line) => !before.split('\n').includes(line));
    expect(added).toEqual([
      '![bg right:40%](images/garden-marp-slide-1.png)',
      '![bg right:40%](images/garden-marp-slide-2.png)',
      '![bg right:40%](images/garden-marp-slide-3.png)',
    ]);
    // Each picture lands in its own slide: right after that slide's heading.
    const slides = after.split(/^---$/m);
    expect(slides[3]).toMatch(
      /## Spring: sowing seeds\n\n!\[bg right:40%\]\(images\/garden-marp-slide-2\.png\)/,
    );
    expect(readdirSync(join(dir, 'images')).sort()).toEqual([
      'garden-marp-slide-1.png',
      'garden-marp-slide-2.png',
      'garden-marp-slide-3.png',
    ]);
    const meta = await sharp(join(dir, 'images', 'garden-marp-slide-2.png')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 64, 64]);
  });

  it('dry run prints prompts and writes nothing', async () => {
    const { dir, input } = await copyDeck('garden-marp.md');
    const report = await illustrateDeck(input, { dryRun: true });
    expect(report.output).toBeNull();
    expect(report.slides[0]).toMatchObject({
      status: 'planned',
      prompt: 'a green sprout growing from the soil',
      promptSource: 'notes',
    });
    expect(report.slides[2]?.prompt).toBe('a sun');
    expect(readdirSync(dir)).toEqual(['garden-marp.md']);
  });

  it('never reads a --- inside a code block, or under a line of text (a heading), as a slide break', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slides-md-'));
    const input = join(dir, 'code.md');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      input,
      '---\nmarp: true\n---\n\n# YAML files\n\n```yaml\n---\nkey: value\n```\n\nSetext heading\n---\n\n---\n\n# Second\n',
    );
    const report = await illustrateDeck(input, { dryRun: true });
    expect(report.slides.map((s) => s.title)).toEqual(['YAML files', 'Second']);
  });
});

describe('Slidev decks', () => {
  it('get layout: image-right + image: (or a cover background) in their frontmatter', async () => {
    const { dir, input } = await copyDeck('garden-slidev.md');
    const before = await readFile(input, 'utf8');
    const report = await illustrateDeck(input, { engine });
    expect(report.format).toBe('slidev');
    expect(report.slides.map((s) => s.reason ?? s.status)).toEqual([
      'illustrated',
      'illustrated',
      'illustrated',
      'unsupported-layout',
      'directive',
    ]);
    const after = await readFile(report.output as string, 'utf8');
    expect(after).toMatch(
      /^---\ntheme: default\ntitle: A Year in the Garden\nlayout: cover\nbackground: \/images\/garden-slidev-slide-1\.png\n---\n/,
    );
    expect(after).toContain(
      '---\nlayout: image-right\nimage: /images/garden-slidev-slide-2.png\n---\n\n# Spring: sowing seeds',
    );
    // An existing `layout: center` is replaced, not duplicated.
    expect(after).toContain(
      '---\nlayout: image-right\nimage: /images/garden-slidev-slide-3.png\n---\n\n# Summer: watering',
    );
    expect(after).not.toContain('layout: center');
    expect(after).toContain('---\nlayout: two-cols\n---\n\n# Autumn: the harvest');
    const removed = before.split('\n').filter((line) => !after.split('\n').includes(line));
    expect(removed).toEqual(['layout: center']);
    // Slidev serves public/ at the site root: the only place frontmatter pictures survive a build.
    expect(readdirSync(join(dir, 'public', 'images')).sort()).toEqual([
      'garden-slidev-slide-1.png',
      'garden-slidev-slide-2.png',
      'garden-slidev-slide-3.png',
    ]);
    expect(existsSync(join(dir, 'images'))).toBe(false);
  });
});

describe('Markdown that is not prose', () => {
  const deck = async (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'slides-md-'));
    const input = join(dir, 'deck.md');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(input, text);
    return input;
  };

  it('skips slides with code, diagrams, formulas, components or columns, and strips markup from prompts', async () => {
    const input = await deck(
      [
        '---\nmarp: true\n---\n\n# A red apple\n',
        '# Setup\n\n```bash\nnpm install\n```\n',
        '# Flow\n\n```mermaid\ngraph TD; A-->B\n```\n',
        '# Energy\n\n$$E = mc^2$$\n',
        '# Demo\n\n<Tweet id="20" />\n',
        '# Compare\n\n<div class="columns">\n\nLeft\n\nRight\n</div>\n',
        '# A yellow $\\alpha$ star\n',
        '# Snippet\n\n```js\nlet x = 1\n```\n\n<!-- illustrate: a rocket -->\n',
      ].join('\n---\n\n'),
    );
    const report = await illustrateDeck(input, { dryRun: true });
    const busy = report.slides.map((s) => s.reason === 'busy');
    expect(busy).toEqual([false, true, true, true, true, true, false, false]);
    expect(report.slides[2]?.detail).toMatch(/diagram/);
    expect(report.slides[3]?.detail).toMatch(/formulas/);
    expect(report.slides[6]?.title).toBe('A yellow star');
    expect(report.slides[7]).toMatchObject({ status: 'planned', prompt: 'a rocket' });
  });

  it('refuses plain Markdown, saying how to mark it as a deck', async () => {
    const input = await deck('# Notes\n\nSome text.\n\n---\n\n# More notes\n');
    await expect(illustrateDeck(input, { dryRun: true })).rejects.toThrow(/plain Markdown.*marp: true/);
    const marp = await deck('<!-- paginate: true -->\n\n# Apples\n');
    expect((await illustrateDeck(marp, { dryRun: true })).format).toBe('marp');
  });
});
