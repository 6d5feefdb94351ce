import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseArgv } from './args.js';
import { commands } from './commands/index.js';

// The README and docs/cli.md are what a newcomer copies from; these checks keep them from rotting.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DOCS = ['README.md', 'docs/cli.md', 'packages/cli/README.md', 'examples/README.md'];
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

/** Splits a shell command line into words: enough of sh for documentation (quotes, comments). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(#.*$)|(\S+)/g;
  for (const match of line.matchAll(pattern)) {
    if (match[3] !== undefined) break;
    words.push(match[1] ?? match[2] ?? match[4] ?? '');
  }
  return words;
}

describe('documentation', () => {
  it('shows the same API example as examples/api/generate.ts', () => {
    const readmeCode = codeBlocks(read('README.md')).find((block) => block.includes('createEngine('));
    const example = read('examples/api/generate.ts').split('\n').slice(1).join('\n');
    expect(readmeCode).toBe(example);
  });

  it('links only to files that exist', () => {
    const broken: string[] = [];
    for (const doc of DOCS) {
      for (const [, target] of read(doc).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (target === undefined || /^[a-z]+:/.test(target)) continue;
        if (!existsSync(path.join(ROOT, path.dirname(doc), target))) broken.push(`${doc} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('uses only commands and options that exist in every example command line', async () => {
    let checked = 0;
    for (const doc of DOCS) {
      for (const block of codeBlocks(read(doc))) {
        for (const line of block.split('\n')) {
          const words = shellWords(line.replace(/^\$ /, ''));
          const at = words.indexOf('matryoshka');
          if (at === -1) continue;
          const [name, ...args] = words.slice(at + 1).filter((w) => w !== '&&');
          if (name === undefined || name.startsWith('-')) continue;
          const entry = commands.find((c) => c.name === name);
          expect(entry, `${doc}: unknown command in "${line}"`).toBeDefined();
          const command = (await entry?.load())?.default;
          if (!command) continue;
          // A documented error example ("--stpes") is meant to fail; everything else must parse.
          if (/--stpes|--steps -3/.test(line)) continue;
          expect(() => parseArgv(args, command.options, ''), `${doc}: "${line}"`).not.toThrow();
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});
