import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPngText } from '@matryoshka/core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// Spawns the real, built executable as a user would run it: `npm test` builds first.
const BIN = fileURLToPath(new URL('../bin/matryoshka.js', import.meta.url));
const BUILT = [
  fileURLToPath(new URL('../dist/main.js', import.meta.url)),
  fileURLToPath(new URL('../../core/dist/index.js', import.meta.url)),
];
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures', import.meta.url));
const MODEL = ['--models-dir', FIXTURES, '--model', 'tiny-bundle'];

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

const children = new Set<ChildProcess>();

function start(args: string[], cwd: string): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => out.push(d));
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out), stderr }));
  });
  return { child, done };
}

const cli = (args: string[], cwd: string) => start(args, cwd).done;

let cwd: string;
beforeAll(() => {
  const missing = BUILT.filter((file) => !existsSync(file));
  if (missing.length > 0) throw new Error(`build first (npm run build): missing ${missing.join(', ')}`);
});
beforeEach(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'matryoshka-e2e-'));
});
afterEach(async () => {
  // A failed abort test must not leave a 16 000-step generation running.
  for (const child of children) child.kill('SIGKILL');
  await rm(cwd, { recursive: true, force: true });
});

describe('matryoshka executable (end to end)', () => {
  it('generates a PNG with prompt and seed in its metadata; same seed, same bytes', async () => {
    const args = ['generate', 'a red apple', '-o', 'apple.png', '--seed', '1234', '--steps', '4', ...MODEL];
    const first = await cli(args, cwd);
    expect(first.stderr).not.toContain('error');
    expect(first.code).toBe(0);
    const bytes = await readFile(path.join(cwd, 'apple.png'));
    expect(readPngText(bytes)).toMatchObject({
      'matryoshka:prompt': 'a red apple',
      'matryoshka:seed': '1234',
    });
    const second = await cli(args, cwd);
    expect(second.code).toBe(0);
    expect((await readFile(path.join(cwd, 'apple.png'))).equals(bytes)).toBe(true);
    expect(await readdir(cwd)).toEqual(['apple.png']);
  });

  it('--json prints one JSON object on stdout', async () => {
    const run = await cli(
      ['generate', 'a cat', '--json', '--steps', '2', '-n', '2', '-o', 'cat.png', ...MODEL],
      cwd,
    );
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout.toString());
    expect(body.images.map((i: { path: string }) => path.basename(i.path))).toEqual([
      'cat-1.png',
      'cat-2.png',
    ]);
    expect(body.images[1].seed).toBe((body.images[0].seed + 1) % 2 ** 32);
    expect(Object.keys(body.timings).sort()).toEqual(['denoiseMs', 'encodeMs', 'loadMs', 'totalMs']);
  });

  it('--steps -3: one line naming steps, exit 2, no stack', async () => {
    const run = await cli(['generate', 'x', '--steps', '-3', ...MODEL], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: steps: [^\n]+\n$/);
    expect(run.stdout.length).toBe(0);
  });

  it('unknown flag: exit 2 with a hint', async () => {
    const run = await cli(['generate', 'x', '--seeed', '3'], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error: unknown option --seeed\nhint: did you mean --seed? (run "matryoshka generate --help")\n',
    );
  });

  it('Ctrl-C stops the generation cleanly and leaves no file', async () => {
    const { child, done } = start(
      ['generate', 'x', '--steps', '1000', '-n', '16', '-o', 'x.png', '--progress', 'lines', ...MODEL],
      cwd,
    );
    // Interrupt only once denoising has really started, like a user watching the progress.
    await new Promise<void>((resolve) => {
      child.stderr?.on('data', (d: Buffer) => {
        if (d.toString().includes('progress:')) resolve();
      });
    });
    const interruptedAt = Date.now();
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/aborted\n$/);
    expect(Date.now() - interruptedAt).toBeLessThan(5000);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('prints version and models', async () => {
    const version = await cli(['--version'], cwd);
    expect(version.stdout.toString()).toMatch(/^\d+\.\d+\.\d+\n$/);
    const models = await cli(['models', '--models-dir', FIXTURES], cwd);
    expect(models.code).toBe(0);
    expect(models.stdout.toString()).toContain('tiny-bundle');
  });
});

// A module hook that names every import of the three packages that make a cold start slow.
const HOOKS = String.raw`
import { writeSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const name = /node_modules\/(zod|onnxruntime-node|sharp)\//.exec(resolved.url)?.[1];
  if (name) writeSync(2, 'heavy-import: ' + name + '\n');
  return resolved;
}`;
const REGISTER_HOOKS = `import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});`;
const HEAVY_IMPORT_PROBE = `data:text/javascript,${encodeURIComponent(REGISTER_HOOKS)}`;

function heavyImports(args: string[], cwd: string): string[] {
  const run = spawnSync(process.execPath, ['--import', HEAVY_IMPORT_PROBE, BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return [...new Set([...run.stderr.matchAll(/^heavy-import: (\S+)$/gm)].map((m) => m[1] as string))].sort();
}

describe('start-up cost', () => {
  it('answers --help and command-line mistakes without loading zod, ONNX Runtime or sharp', () => {
    for (const args of [
      ['generate', '--help'],
      ['clip', '--help'],
      ['slides', '--help'],
      ['models', '--help'],
      ['generate', 'x', '--seeed', '3'],
      ['generate'],
    ]) {
      expect(heavyImports(args, cwd), args.join(' ')).toEqual([]);
    }
    // The probe sees them when a generation really needs them.
    expect(heavyImports(['generate', 'x', '--steps', '1', '-o', 'x.png', ...MODEL], cwd)).toEqual([
      'onnxruntime-node',
      'zod',
    ]);
  });
});
