import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The packages as a user gets them: every publishable workspace packed with `npm pack`, installed from the
// tarballs into an empty project outside this repository (no workspace links, no models/ folder on
// the way up), their other dependencies from the registry; then the CLI, the API, the AI SDK
// provider and the MCP server run there.
const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../', import.meta.url));
const built = ['core', 'slides', 'cli', 'mcp-server', 'ai-sdk-provider'].every((p) =>
  existsSync(join(REPO, 'packages', p, 'dist')),
);
const aiVersion = JSON.parse(readFileSync(join(REPO, 'node_modules/ai/package.json'), 'utf8')).version;
const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', MATRYOSHKA_MODELS: '' };
const PNG = '89504e470d0a1a0a';

let project = '';

describe.skipIf(!built)('packed packages installed into an empty project (npm test builds first)', () => {
  beforeAll(async () => {
    project = realpathSync(mkdtempSync(join(tmpdir(), 'matryoshka-installed-')));
    const { stdout } = await run(
      process.execPath,
      [join(REPO, 'scripts/pack-packages.mjs'), '--out', project],
      {
        env,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const tarballs = Object.fromEntries(
      (JSON.parse(stdout) as Array<{ name: string; file: string }>).map((p) => [p.name, `file:${p.file}`]),
    );
    expect(Object.keys(tarballs).sort()).toEqual([
      '@matryoshka/ai-sdk-provider',
      '@matryoshka/cli',
      '@matryoshka/core',
      '@matryoshka/mcp-server',
      '@matryoshka/model-emoji-256',
      '@matryoshka/model-emoji-clip-64',
      '@matryoshka/slides',
    ]);
    // overrides: a package's dependency on another of ours is the tarball too, never a registry name.
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'empty-project',
        private: true,
        type: 'module',
        dependencies: { ...tarballs, ai: aiVersion },
        overrides: tarballs,
      }),
    );
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: project,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
  }, 600_000);
  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  const inProject = (file: string, args: string[]) =>
    run(process.execPath, [file, ...args], { cwd: project, env, maxBuffer: 16 * 1024 * 1024 });

  it('installs real copies, not links into this repository', () => {
    const core = join(project, 'node_modules/@matryoshka/core');
    expect(existsSync(join(core, 'dist/index.js'))).toBe(true);
    expect(existsSync(join(core, 'src'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/@matryoshka/model-emoji-256/model.onnx'))).toBe(true);
  });

  it('npx matryoshka generate draws with the installed model, and --image makes a variation of it', async () => {
    const bin = 'node_modules/@matryoshka/cli/bin/matryoshka.js';
    // Few steps: this checks the installation, not the pictures (the eval judges those).
    await inProject(bin, ['generate', 'a red heart', '--seed', '3', '--steps', '4', '-o', 'heart.png']);
    const heart = readFileSync(join(project, 'heart.png'));
    expect(heart.subarray(0, 8).toString('hex')).toBe(PNG);
    const { stdout } = await inProject(bin, ['models', '--json']);
    const models = JSON.parse(stdout) as Array<{ id: string; dir: string }>;
    expect(models.map((m) => m.id).sort()).toEqual(['emoji-256', 'emoji-clip-64']);
    expect(models.every((m) => m.dir.startsWith(join(project, 'node_modules')))).toBe(true);
    await inProject(bin, [
      'generate',
      'a blue heart',
      '--image',
      'heart.png',
      '--strength',
      '0.6',
      '--steps',
      '4',
      '-o',
      'var.png',
    ]);
    const variation = readFileSync(join(project, 'var.png'));
    expect(variation.subarray(0, 8).toString('hex')).toBe(PNG);
    expect(variation.equals(heart)).toBe(false);
  });

  it('the API (ESM and CommonJS) and the AI SDK provider return images', async () => {
    writeFileSync(
      join(project, 'api.mjs'),
      `import { createEngine } from '@matryoshka/core';
import { createRequire } from 'node:module';
const cjs = createRequire(import.meta.url)('@matryoshka/core');
const engine = createEngine();
const result = await engine.generate({ prompt: 'a yellow star', seed: 1, steps: 4 });
await engine.close();
const { generateImage } = await import('ai');
const { matryoshka } = await import('@matryoshka/ai-sdk-provider');
const { images } = await generateImage({ model: matryoshka.image('emoji-256'), prompt: 'a rocket', n: 2, seed: 7, providerOptions: { matryoshka: { steps: 4 } } });
await matryoshka.close();
console.log(JSON.stringify({
  model: result.model,
  core: Buffer.from(result.images[0].bytes).subarray(0, 8).toString('hex'),
  cjs: typeof cjs.createEngine,
  ai: images.map((i) => Buffer.from(i.uint8Array).subarray(0, 8).toString('hex')),
}));
`,
    );
    const { stdout } = await inProject('api.mjs', []);
    expect(JSON.parse(stdout)).toEqual({ model: 'emoji-256', core: PNG, cjs: 'function', ai: [PNG, PNG] });
  });

  it('the MCP server runs over stdio as the config it prints for a client says', async () => {
    const bin = 'node_modules/@matryoshka/mcp-server/bin/matryoshka-mcp.js';
    const printed = await inProject(bin, ['--print-config', 'claude-code', '--output-dir', 'mcp-out']);
    const entry = JSON.parse(printed.stdout).mcpServers.matryoshka as { command: string; args: string[] };
    expect(entry.args).toEqual([join(project, bin), '--output-dir', join(project, 'mcp-out')]);
    const transport = new StdioClientTransport({
      command: entry.command,
      args: entry.args,
      // A client picks its own working folder; the config must not depend on it.
      cwd: tmpdir(),
      env: env as Record<string, string>,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'installed-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['generate_image', 'generate_clip']));
      const result = await client.callTool(
        { name: 'generate_image', arguments: { prompt: 'a green apple', seed: 2 } },
        CallToolResultSchema,
      );
      expect(result.isError).toBeFalsy();
      const image = (result.content as Array<{ type: string; mimeType?: string }>).find(
        (c) => c.type === 'image',
      );
      expect(image?.mimeType).toBe('image/png');
      expect(readdirSync(join(project, 'mcp-out')).some((f) => f.endsWith('.png'))).toBe(true);
    } finally {
      await client.close();
    }
  });
});
