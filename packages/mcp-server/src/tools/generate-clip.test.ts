import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createEngine } from '@matryoshka/core';
import { type CallToolResult, CallToolResultSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../testing/fixtures.js';
import { useInMemorySession } from '../testing/suite.js';

// The clip fixture arrives with the engine's clip support (bundle format 2); until then the
// "no clip model" answer is covered in server.test.ts.
const CLIP_FIXTURE = join(FIXTURES_DIR, 'tiny-clip-bundle');

describe.skipIf(!existsSync(CLIP_FIXTURE))('generate_clip with a clip model', () => {
  const suite = useInMemorySession('mcp-clip', {
    engine: () => createEngine({ modelsDir: FIXTURES_DIR, threads: 1 }),
  });

  it('saves an animation, previews its first frame and reports progress', async () => {
    const seen: Progress[] = [];
    const result = (await suite.session.client.callTool(
      {
        name: 'generate_clip',
        arguments: { prompt: 'a bouncing ball', model: 'tiny-clip-bundle', steps: 2, seed: 5 },
      },
      CallToolResultSchema,
      { onprogress: (p) => seen.push(p) },
    )) as CallToolResult;
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    const { path, seed } = result.structuredContent as { path: string; seed: number };
    expect(seed).toBe(5);
    const meta = await sharp(await readFile(path), { pages: -1 }).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.pages).toBe(4);
    const image = result.content.find((c) => c.type === 'image') as { data: string } | undefined;
    const preview = await sharp(Buffer.from(image?.data ?? '', 'base64'), { pages: -1 }).metadata();
    expect(preview.pages ?? 1).toBe(1);
    expect(seen.length).toBeGreaterThanOrEqual(2);
  });

  it('saves png-frames as numbered files with one preview', async () => {
    const result = (await suite.session.client.callTool(
      {
        name: 'generate_clip',
        arguments: {
          prompt: 'a spinning top',
          model: 'tiny-clip-bundle',
          steps: 1,
          format: 'png-frames',
          name: 'top',
        },
      },
      CallToolResultSchema,
    )) as CallToolResult;
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    const { images } = result.structuredContent as { images: Array<{ name: string; frameIndex: number }> };
    expect(images.map((i) => i.name)).toEqual(['top-f01.png', 'top-f02.png', 'top-f03.png', 'top-f04.png']);
    expect(images.map((i) => i.frameIndex)).toEqual([0, 1, 2, 3]);
    expect(result.content.filter((c) => c.type === 'image')).toHaveLength(1);
    expect(result.content.filter((c) => c.type === 'resource_link')).toHaveLength(4);
    expect((result.content[0] as { text: string }).text).toMatch(
      /^Generated 1 clip with tiny-clip-bundle \(64×64, 4 frames/,
    );
  });
});
