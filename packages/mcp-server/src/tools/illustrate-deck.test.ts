import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type CallToolResult, CallToolResultSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporaryDir } from '../testing/fixtures.js';
import { type Connected, connectInMemory } from '../testing/in-memory.js';
import { useEngine } from '../testing/suite.js';
import { deckProgress } from './illustrate-deck.js';

const DECK = `---
marp: true
---

# Apples

Why red apples keep the doctor away

---

# Forests

Tall green trees and quiet paths
`;

const shared = useEngine();
let project: Awaited<ReturnType<typeof temporaryDir>>;
let session: Connected;

beforeEach(async () => {
  project = await temporaryDir('mcp-deck');
  await writeFile(join(project.dir, 'talk.md'), DECK);
  // The deck path is given relative to the client's root, as an assistant in a project would.
  session = await connectInMemory(
    shared.engine,
    { outputDir: join(project.dir, 'out') },
    { roots: [pathToFileURL(project.dir).href] },
  );
});
afterEach(async () => {
  await session.close();
  await project.remove();
});

const call = async (args: Record<string, unknown>, onprogress?: (p: Progress) => void) =>
  (await session.client.callTool(
    { name: 'illustrate_deck', arguments: args },
    CallToolResultSchema,
    onprogress ? { onprogress } : {},
  )) as CallToolResult;

describe('illustrate_deck', () => {
  it('plans without writing on a dry run', async () => {
    const result = await call({ path: 'talk.md', dryRun: true });
    expect(result.isError).toBeFalsy();
    const report = result.structuredContent as {
      output?: string;
      slides: Array<{ status: string; prompt?: string }>;
    };
    expect(report.output).toBeUndefined();
    expect(report.slides.map((s) => s.status)).toEqual(['planned', 'planned']);
    expect(report.slides[0]?.prompt).toMatch(/apple/i);
    expect(existsSync(join(project.dir, 'talk.illustrated.md'))).toBe(false);
  });

  it('writes an illustrated copy with pictures, reporting rising progress, and leaves the deck alone', async () => {
    const seen: number[] = [];
    const result = await call({ path: 'talk.md', steps: 2 }, (p) => seen.push(p.progress));
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    const report = result.structuredContent as { output: string; illustrated: number; images: string[] };
    expect(report.illustrated).toBe(2);
    expect(report.output).toBe(join(project.dir, 'talk.illustrated.md'));
    const written = await readFile(report.output, 'utf8');
    expect(written).toMatch(/!\[bg/);
    for (const image of report.images) expect(existsSync(image)).toBe(true);
    expect(await readFile(join(project.dir, 'talk.md'), 'utf8')).toBe(DECK);
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('answers a missing deck or a bad type with isError', async () => {
    const missing = await call({ path: 'nope.pptx' });
    expect(missing.isError).toBe(true);
    expect(JSON.stringify(missing.content)).toContain('IO_ERROR');
    const wrongType = await call({ path: 'talk.txt' });
    expect(wrongType.isError).toBe(true);
    expect(JSON.stringify(wrongType.content)).toContain('INVALID_REQUEST');
  });
});

describe('deckProgress', () => {
  it('counts every step once, across pictures, whatever the step count', () => {
    for (const steps of [1, 2, 5]) {
      const sent: number[] = [];
      const report = deckProgress((value) => sent.push(value));
      const pictures = 3;
      for (let done = 0; done < pictures; done++) {
        const overall = (completed: number) => ({ completed, total: pictures * steps });
        for (let step = 1; step <= steps; step++)
          report({
            slide: done + 1,
            done,
            total: pictures,
            step,
            steps,
            overall: overall(done * steps + step),
          });
        // The picture's "done" event repeats its last step's count: sent once.
        report({
          slide: done + 1,
          done: done + 1,
          total: pictures,
          step: steps,
          steps,
          overall: overall((done + 1) * steps),
        });
      }
      expect(sent).toEqual(Array.from({ length: pictures * steps }, (_, i) => i + 1));
    }
  });
});
