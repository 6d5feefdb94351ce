import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEngine } from '@matryoshka/core';
import {
  type CallToolResult,
  CallToolResultSchema,
  type Progress,
  ResourceListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, temporaryDir } from './testing/fixtures.js';
import { type Connected, connectInMemory } from './testing/in-memory.js';
import { useEngine } from './testing/suite.js';

const shared = useEngine();
let out: { dir: string; remove: () => Promise<void> };
let session: Connected;

beforeEach(async () => {
  out = await temporaryDir('mcp-server-test');
});
afterEach(async () => {
  await session?.close();
  await out.remove();
});

const connect = async (config: Parameters<typeof connectInMemory>[1] = {}, roots?: string[]) => {
  session = await connectInMemory(shared.engine, { outputDir: out.dir, ...config }, roots ? { roots } : {});
  return session.client;
};

async function call(
  name: string,
  args: Record<string, unknown>,
  options: Parameters<Connected['client']['callTool']>[2] = {},
) {
  return (await session.client.callTool(
    { name, arguments: args },
    CallToolResultSchema,
    options,
  )) as CallToolResult;
}

/** Starts a 1000-step generation and resolves once it runs, so it holds a concurrency slot. */
async function occupySlot(prompt: string) {
  const controller = new AbortController();
  let started!: () => void;
  const running = new Promise<void>((r) => {
    started = r;
  });
  const first = call(
    'generate_image',
    { prompt, steps: 1000 },
    { signal: controller.signal, onprogress: () => started() },
  );
  await running;
  return { first, controller };
}

const blocks = <T extends CallToolResult['content'][number]['type']>(result: CallToolResult, type: T) =>
  result.content.filter((c) => c.type === type) as Extract<CallToolResult['content'][number], { type: T }>[];
const textOf = (result: CallToolResult) =>
  blocks(result, 'text')
    .map((t) => t.text)
    .join('\n');

describe('tools/list', () => {
  it('offers the generation tools with input and output schemas and annotations', async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(Object.keys(byName)).toEqual(
      expect.arrayContaining([
        'generate_image',
        'generate_clip',
        'generate_icons',
        'list_models',
        'illustrate_deck',
      ]),
    );
    const image = byName.generate_image;
    expect(image?.inputSchema.required).toEqual(['prompt']);
    expect(image?.inputSchema.additionalProperties).toBe(false);
    expect(Object.keys(image?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['prompt', 'seed', 'steps', 'count', 'format', 'name']),
    );
    expect(image?.outputSchema?.required).toEqual(
      expect.arrayContaining(['path', 'uri', 'seed', 'model', 'parameters', 'timings']),
    );
    expect(image?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      openWorldHint: false,
    });
    expect(byName.list_models?.annotations?.readOnlyHint).toBe(true);
  });
});

describe('generate_image', () => {
  it('answers with a thumbnail, a resource link and structured content pointing at a real PNG', async () => {
    await connect();
    const result = await call('generate_image', { prompt: 'a red apple', seed: 7, steps: 3 });
    expect(result.isError).toBeFalsy();
    const [image] = blocks(result, 'image');
    const [link] = blocks(result, 'resource_link');
    const data = result.structuredContent as Record<string, unknown> & { images: Array<{ path: string }> };
    expect(data).toMatchObject({ seed: 7, model: 'tiny-bundle', uri: link?.uri, outputDir: out.dir });
    expect(data.parameters).toMatchObject({ prompt: 'a red apple', seed: 7, steps: 3, model: 'tiny-bundle' });
    expect(data.timings).toMatchObject({ totalMs: expect.any(Number) });
    const path = data.path as string;
    expect(dirname(path)).toBe(out.dir);
    const file = await readFile(path);
    const meta = await sharp(file).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 64, 64]);
    expect(link).toMatchObject({ mimeType: 'image/png', size: file.byteLength, name: path.split('/').pop() });
    expect(image?.mimeType).toBe('image/png');
    const thumb = await sharp(Buffer.from(image?.data ?? '', 'base64')).metadata();
    expect(Math.max(thumb.width ?? 0, thumb.height ?? 0)).toBeLessThanOrEqual(256);
    expect(textOf(result)).toContain(path);
    console.info(
      `inline result size: ${JSON.stringify(result).length} bytes of JSON, image block ${image?.data.length} base64 chars`,
    );
  });

  it('sends one progress notification per denoising step, rising to the total', async () => {
    await connect();
    const seen: Progress[] = [];
    const result = await call(
      'generate_image',
      { prompt: 'sun', steps: 4, count: 2 },
      { onprogress: (p) => seen.push(p) },
    );
    expect(result.isError).toBeFalsy();
    expect(seen.map((p) => p.progress)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(seen.every((p) => p.total === 8)).toBe(true);
    expect(seen[0]?.message).toBe('image 1/2, step 1/4');
    expect(blocks(result, 'resource_link')).toHaveLength(2);
  });

  it('stops the engine within a step when the client cancels', async () => {
    const client = await connect();
    const controller = new AbortController();
    const stepTimes: number[] = [];
    let abortedAt = 0;
    const pending = call(
      'generate_image',
      { prompt: 'long job', steps: 1000 },
      {
        signal: controller.signal,
        onprogress: (p) => {
          stepTimes.push(performance.now());
          if (p.progress === 3) {
            abortedAt = performance.now();
            controller.abort('user changed their mind');
          }
        },
      },
    );
    await expect(pending).rejects.toThrow();
    const stepMs = ((stepTimes[2] ?? 0) - (stepTimes[0] ?? 0)) / 2;
    // The job is over when its queue slot is free again.
    while (session.runtime.engine.pending > 0) await new Promise((r) => setTimeout(r, 2));
    const stoppedAfterMs = performance.now() - abortedAt;
    const bound = Math.max(4 * stepMs, 250);
    expect(stoppedAfterMs).toBeLessThan(bound);
    // Only meaningful if finishing the remaining steps would have taken far longer than the bound.
    expect(997 * stepMs).toBeGreaterThan(2 * bound);
    expect(await readdir(out.dir).catch(() => [])).toEqual([]);
    // And the server is fine afterwards.
    const next = await client.callTool({ name: 'list_models', arguments: {} });
    expect(next.isError).toBeFalsy();
  });

  it('refuses a request with isError when the queue is full', async () => {
    await connect({ maxQueue: 0 });
    const { first, controller } = await occupySlot('blocking');
    const refused = await call('generate_image', { prompt: 'second', steps: 2 });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/^BUSY: the engine is busy: 1 generation running and 0 waiting/);
    controller.abort();
    await expect(first).rejects.toThrow();
  });

  it('tells a waiting request how many are ahead, then runs it when the slot frees', async () => {
    await connect({ maxQueue: 1 });
    const { first, controller } = await occupySlot('first');
    const seen: Progress[] = [];
    const second = call(
      'generate_image',
      { prompt: 'second', steps: 2 },
      { onprogress: (p) => seen.push(p) },
    );
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(seen[0]).toMatchObject({ progress: 0, message: 'waiting for 1 generation(s) ahead' });
    controller.abort();
    await expect(first).rejects.toThrow();
    const result = await second;
    expect(result.isError).toBeFalsy();
    expect(seen.map((p) => p.progress)).toEqual([0, 1, 2]);
  });

  it('turns bad input into isError results and keeps serving', async () => {
    await connect();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{}, /prompt/],
      [{ prompt: 'x', steps: -1 }, /steps/],
      [{ prompt: 'x', seed: 2 ** 40 }, /seed/],
      [{ prompt: 'x', sampler: 'euler' }, /sampler/],
      [{ prompt: 'x', model: 'no-such-model' }, /MODEL_NOT_FOUND/],
      [{ prompt: 'x', stesp: 3 }, /stesp|Unrecognized/i],
    ];
    for (const [args, pattern] of cases) {
      const result = await call('generate_image', args);
      expect(result.isError, JSON.stringify(args)).toBe(true);
      expect(textOf(result)).toMatch(pattern);
    }
    expect((await call('list_models', {})).isError).toBeFalsy();
  });

  it('keeps a hostile file name inside the output folder and never overwrites', async () => {
    await connect();
    const a = await call('generate_image', { prompt: 'x', steps: 1, name: '../../../tmp/evil.png' });
    const b = await call('generate_image', { prompt: 'x', steps: 1, name: '../../../tmp/evil.png' });
    const pathA = (a.structuredContent as { path: string }).path;
    const pathB = (b.structuredContent as { path: string }).path;
    expect(dirname(pathA)).toBe(out.dir);
    expect(dirname(pathB)).toBe(out.dir);
    expect([pathA, pathB].map((p) => p.split('/').pop())).toEqual(['tmp-evil.png', 'tmp-evil-2.png']);
  });

  it('caps the thumbnail size, and can leave inline images out', async () => {
    await connect({ thumbnailSize: 32, thumbnailFormat: 'webp' });
    const small = await call('generate_image', { prompt: 'x', steps: 1 });
    const [image] = blocks(small, 'image');
    expect(image?.mimeType).toBe('image/webp');
    const meta = await sharp(Buffer.from(image?.data ?? '', 'base64')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 32, 32]);
    await session.close();

    await connect({ thumbnailSize: 0 });
    const none = await call('generate_image', { prompt: 'x', steps: 1 });
    expect(blocks(none, 'image')).toHaveLength(0);
    expect(blocks(none, 'resource_link')).toHaveLength(1);
    await session.close();

    await connect({ maxInlineBytes: 10 });
    const overBudget = await call('generate_image', { prompt: 'x', steps: 1, count: 2 });
    expect(blocks(overBudget, 'image')).toHaveLength(0);
    expect(textOf(overBudget)).toContain('left out');
  });

  it('makes variations of an earlier result by its URI, or of a file inside the roots only', async () => {
    const root = await temporaryDir('mcp-img2img');
    try {
      session = await connectInMemory(
        shared.engine,
        { outputDir: out.dir },
        { roots: [pathToFileURL(root.dir).href] },
      );
      const first = await call('generate_image', { prompt: 'a red apple', seed: 3, steps: 2 });
      const uri = (first.structuredContent as { uri: string }).uri;
      const variation = await call('generate_image', {
        prompt: 'a red apple',
        image: uri,
        strength: 0.5,
        steps: 4,
      });
      expect(variation.isError).toBeFalsy();
      expect((variation.structuredContent as { parameters: object }).parameters).toMatchObject({
        strength: 0.5,
        imageSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });

      const inside = join(root.dir, 'in.png');
      await writeFile(inside, await readFile((first.structuredContent as { path: string }).path));
      const fromPath = await call('generate_image', { prompt: 'x', image: inside, steps: 2 });
      expect(fromPath.isError).toBeFalsy();

      const outside = await call('generate_image', { prompt: 'x', image: '/etc/hostname', steps: 2 });
      expect(outside.isError).toBe(true);
      expect(textOf(outside)).toMatch(/\/etc\/hostname/);

      // Inpainting: the mask is read like the picture (inside the roots only).
      const mask = join(root.dir, 'mask.png');
      const half =
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64"/><rect x="32" width="32" height="64" fill="#fff"/></svg>';
      await writeFile(mask, await (await import('sharp')).default(Buffer.from(half)).png().toBuffer());
      const repainted = await call('generate_image', { prompt: 'a cat', image: uri, mask, steps: 2 });
      expect(repainted.isError).toBeFalsy();
      expect((repainted.structuredContent as { parameters: object }).parameters).toMatchObject({
        strength: 1,
        maskSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      const hiddenMask = await call('generate_image', {
        prompt: 'x',
        image: uri,
        mask: '/etc/hostname',
        steps: 2,
      });
      expect(hiddenMask.isError).toBe(true);
      expect(textOf(hiddenMask)).toMatch(/\/etc\/hostname/);
    } finally {
      await root.remove();
    }
  });

  it("saves into the client's first root when no folder is configured", async () => {
    const root = await temporaryDir('mcp-root');
    try {
      session = await connectInMemory(shared.engine, {}, { roots: [pathToFileURL(root.dir).href] });
      const result = await call('generate_image', { prompt: 'x', steps: 1 });
      expect(dirname((result.structuredContent as { path: string }).path)).toBe(
        join(root.dir, 'matryoshka-output'),
      );
    } finally {
      await root.remove();
    }
  });

  it('follows the client when its roots change', async () => {
    const [a, b] = [await temporaryDir('mcp-root-a'), await temporaryDir('mcp-root-b')];
    try {
      const roots = [pathToFileURL(a.dir).href];
      session = await connectInMemory(shared.engine, {}, { roots });
      const first = await call('generate_image', { prompt: 'x', steps: 1 });
      roots[0] = pathToFileURL(b.dir).href;
      await session.client.sendRootsListChanged();
      await new Promise((r) => setTimeout(r, 20));
      const second = await call('generate_image', { prompt: 'x', steps: 1 });
      const dirs = [first, second].map((r) => dirname((r.structuredContent as { path: string }).path));
      expect(dirs).toEqual([join(a.dir, 'matryoshka-output'), join(b.dir, 'matryoshka-output')]);
    } finally {
      await Promise.all([a.remove(), b.remove()]);
    }
  });
});

describe('generate_icons', () => {
  it("saves every level's own drawing and the rest of the set, previews the sheet, links the manifest to the saved names", async () => {
    await connect();
    const result = await call('generate_icons', { prompt: 'a rocket', seed: 2, steps: 2 });
    expect(result.isError).toBeFalsy();
    const data = result.structuredContent as {
      images: Array<{ name: string; path: string; width: number; source?: string; drawnAt?: number }>;
    };
    const names = data.images.map((i) => i.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'a-rocket-2-icon-16.png',
        'a-rocket-2-favicon.ico',
        'a-rocket-2-site.webmanifest',
      ]),
    );
    expect(data.images.find((i) => i.name === 'a-rocket-2-icon-32.png')).toMatchObject({
      width: 32,
      source: 'level',
      drawnAt: 32,
    });
    expect(data.images.find((i) => i.name === 'a-rocket-2-icon-256.png')).toMatchObject({
      source: 'resized',
    });
    expect(blocks(result, 'image')).toHaveLength(1); // the sheet only
    expect(blocks(result, 'resource_link')).toHaveLength(names.length);
    const manifestPath = data.images.find((i) => i.name.endsWith('.webmanifest'))?.path as string;
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    expect(manifest.icons[0].src).toBe('a-rocket-2-icon-64.png');
    const ico = await session.client.readResource({ uri: `matryoshka://output/a-rocket-2-favicon.ico` });
    expect(ico.contents[0]?.mimeType).toBe('image/x-icon');
  });
});

describe('resources', () => {
  it('reads a generated file back through resources/read and lists it', async () => {
    const client = await connect();
    const result = await call('generate_image', { prompt: 'x', steps: 1 });
    const { uri, path } = result.structuredContent as { uri: string; path: string };
    const read = await client.readResource({ uri });
    const [content] = read.contents;
    expect(content).toMatchObject({ uri, mimeType: 'image/png' });
    expect(Buffer.from((content as { blob: string }).blob, 'base64').equals(await readFile(path))).toBe(true);
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toContain(uri);
  });

  it('tells the client when new files appear', async () => {
    const client = await connect();
    let changes = 0;
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
      changes++;
    });
    await call('generate_image', { prompt: 'x', steps: 1 });
    await new Promise((r) => setTimeout(r, 20));
    expect(changes).toBe(1);
  });

  it('refuses URIs that try to leave the output folder', async () => {
    const client = await connect({ outputDir: join(out.dir, 'out') });
    await writeFile(join(out.dir, 'outside.png'), 'secret');
    for (const uri of ['matryoshka://output/..%2Foutside.png', 'matryoshka://output/missing.png']) {
      await expect(client.readResource({ uri })).rejects.toThrow(/no generated file/);
    }
  });
});

describe('generate_clip and list_models', () => {
  it('says plainly that no clip model is installed', async () => {
    // A models folder holding only the image fixture.
    const models = await temporaryDir('mcp-models');
    const imageOnly = createEngine({ modelsDir: models.dir, defaultModel: 'tiny-bundle', threads: 1 });
    try {
      await cp(join(FIXTURES_DIR, 'tiny-bundle'), join(models.dir, 'tiny-bundle'), { recursive: true });
      session = await connectInMemory(imageOnly, { outputDir: out.dir });
      const result = await call('generate_clip', { prompt: 'a spinning globe' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/^MODEL_NOT_FOUND: No clip model to use in /);
    } finally {
      await imageOnly.close();
      await models.remove();
    }
  });

  it('lists the installed models with structured content', async () => {
    await connect();
    const result = await call('list_models', {});
    const { models } = result.structuredContent as {
      models: Array<{ id: string; fixture: boolean; levels: number[] }>;
    };
    expect(models.find((m) => m.id === 'tiny-bundle')).toMatchObject({ fixture: true, levels: [64, 32, 16] });
    expect(textOf(result)).toContain('tiny-bundle');
  });

  it('names a damaged bundle instead of silently leaving it out', async () => {
    const models = await temporaryDir('mcp-models');
    const engine = createEngine({ modelsDir: models.dir, defaultModel: 'tiny-bundle', threads: 1 });
    try {
      await cp(join(FIXTURES_DIR, 'tiny-bundle'), join(models.dir, 'tiny-bundle'), { recursive: true });
      await mkdir(join(models.dir, 'half-downloaded'));
      await writeFile(join(models.dir, 'half-downloaded', 'manifest.json'), '{"format": "matryoshka-bun');
      session = await connectInMemory(engine, { outputDir: out.dir });
      const result = await call('list_models', {});
      expect(result.isError).toBeFalsy();
      const content = result.structuredContent as {
        models: Array<{ id: string }>;
        skipped: Array<{ dir: string; code: string }>;
      };
      expect(content.models.map((m) => m.id)).toEqual(['tiny-bundle']);
      expect(content.skipped).toHaveLength(1);
      expect(content.skipped[0]).toMatchObject({ code: 'MODEL_CORRUPT' });
      expect(content.skipped[0]?.dir).toMatch(/half-downloaded$/);
      expect(textOf(result)).toMatch(/Skipped \(not usable\):\n- .*half-downloaded: MODEL_CORRUPT/);
    } finally {
      await engine.close();
      await models.remove();
    }
  });
});
