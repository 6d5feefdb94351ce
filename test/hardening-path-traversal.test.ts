import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../packages/cli/src/run-in-process.test-support.js';
import { FIXTURES, type ServerProcess, startMcpHttpServer } from './hardening-mcp-server-process.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../packages/cli/bin/matryoshka.js', import.meta.url));

/** Names and prompts that try to leave the output folder, in every spelling we know of. */
const HOSTILE = [
  '../../escaped',
  '../escaped.png',
  '/tmp/escaped-absolute',
  '..\\..\\escaped-windows',
  'a/../../../escaped-nested',
  './../escaped-dot',
  '%2e%2e%2fescaped-encoded',
  '....//....//escaped-dots',
  'escaped\u0000nul',
  '\u2025/escaped-two-dot-leader',
  '．．/escaped-fullwidth',
  '~/escaped-home',
  '..',
  '.',
  '/',
  'CON',
  '.hidden',
  'x'.repeat(190),
];

/** Every path under `dir`, relative, so a run can be diffed against the one before. */
async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    out.push(relative(dir, path));
    if (entry.isDirectory()) out.push(...(await tree(path)).map((p) => join(entry.name, p)));
  }
  return out.sort();
}

let sandbox: string;
beforeAll(async () => {
  sandbox = await mkdtemp(join(tmpdir(), 'traversal-'));
});
afterAll(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

describe('path traversal through output names', () => {
  it('CLI: prompts that spell paths only ever name files inside the output folder (-o dir/ and the working directory)', async () => {
    const root = join(sandbox, 'cli');
    const outDir = join(root, 'deep', 'out');
    const cwd = join(root, 'deep', 'cwd');
    await mkdir(outDir, { recursive: true });
    await mkdir(cwd, { recursive: true });
    await writeFile(join(root, 'bystander.txt'), 'must stay alone');
    const outsideFolders = (paths: string[]) =>
      paths.filter((p) => !p.startsWith(join('deep', 'out')) && !p.startsWith(join('deep', 'cwd')));
    const before = outsideFolders(await tree(root));
    const common = [
      '--models-dir',
      FIXTURES,
      '-m',
      'tiny-bundle',
      '--steps',
      '1',
      '--threads',
      '1',
      '--json',
      '--quiet',
    ];
    const check = async (stdout: string, folder: string, prompt: string) => {
      const summary = JSON.parse(stdout) as { ok: boolean; images?: Array<{ path: string }> };
      if (!summary.ok) return 0; // a clean refusal
      for (const image of summary.images ?? []) {
        expect(relative(folder, image.path), `${JSON.stringify(prompt)} → ${image.path}`).not.toMatch(
          /^\.\.|[/\\]/,
        );
        expect((await stat(image.path)).isFile()).toBe(true);
      }
      return summary.images?.length ?? 0;
    };
    let written = 0;
    // In process (the bin's own code path, without paying a Node start-up per prompt)…
    for (const [i, prompt] of HOSTILE.entries()) {
      // Both modes name files through the same slug; the working-directory one is spot-checked,
      // because each CLI run loads the model afresh (about a second on a loaded machine).
      const modes = [
        [['-o', `${outDir}${sep}`], outDir],
        [[], cwd],
      ] as const;
      for (const [target, folder] of i % 3 === 0 ? modes : modes.slice(0, 1)) {
        const result = await runInProcess(['generate', prompt, ...target, ...common, '--seed', String(i)], {
          cwd,
        });
        written += await check(result.stdout, folder, prompt);
      }
    }
    // …and through the installed executable for a few (an argv string cannot hold NUL).
    for (const prompt of HOSTILE.slice(0, 2)) {
      const { stdout } = await run(
        process.execPath,
        [CLI, 'generate', prompt, '-o', `${outDir}${sep}`, ...common],
        {
          cwd,
          timeout: 60_000,
        },
      );
      written += await check(stdout, outDir, prompt);
    }
    expect(outsideFolders(await tree(root))).toEqual(before);
    // Only plain files directly in the two folders: no sub-folder was created from a prompt.
    for (const folder of [outDir, cwd]) {
      for (const entry of await readdir(folder, { withFileTypes: true })) expect(entry.isFile()).toBe(true);
    }
    expect(written).toBeGreaterThan(HOSTILE.length);
    console.info(
      `path traversal, CLI: ${HOSTILE.length} hostile prompts with -o dir/, 6 in the working directory, 2 via the executable → ${written} files, all inside their folder`,
    );
  }, 180_000); // 26 CLI runs, each loading the model as a user's would

  describe('MCP server (real process over HTTP)', () => {
    let server: ServerProcess;
    let client: Client;
    let transport: StreamableHTTPClientTransport;
    let root: string;
    let out: string;

    beforeAll(async () => {
      root = join(sandbox, 'mcp');
      out = join(root, 'deep', 'out');
      await mkdir(out, { recursive: true });
      await writeFile(join(root, 'bystander.txt'), 'must stay alone');
      server = await startMcpHttpServer(out);
      transport = new StreamableHTTPClientTransport(new URL(server.url));
      client = new Client({ name: 'traversal-test', version: '1.0.0' });
      await client.connect(transport);
    });
    afterAll(async () => {
      await client?.close();
      await server?.stop();
    });

    it('hostile file names in generate_image land inside the output folder or are refused cleanly', async () => {
      const before = await tree(root);
      let saved = 0;
      for (const [i, name] of HOSTILE.entries()) {
        const result = (await client.callTool(
          { name: 'generate_image', arguments: { prompt: name, name, steps: 1, seed: i } },
          CallToolResultSchema,
        )) as CallToolResult;
        if (result.isError) {
          expect(result.content[0]).toMatchObject({
            type: 'text',
            text: expect.stringMatching(/^[A-Z_]+: /),
          });
          continue;
        }
        const images = (result.structuredContent as { images: Array<{ path: string; name: string }> }).images;
        for (const image of images) {
          expect(relative(out, image.path), `${JSON.stringify(name)} → ${image.path}`).toBe(image.name);
          expect(image.name).not.toMatch(/[/\\]|^\./);
          expect(image.name).not.toContain(String.fromCharCode(0));
          saved++;
        }
      }
      const after = await tree(root);
      const outside = after.filter((p) => !before.includes(p) && !p.startsWith(join('deep', 'out') + sep));
      expect(outside).toEqual([]);
      for (const entry of await readdir(out, { withFileTypes: true })) expect(entry.isFile()).toBe(true);
      expect(saved).toBeGreaterThan(HOSTILE.length / 2);
      console.info(
        `path traversal, MCP: ${HOSTILE.length} hostile names → ${saved} files, all inside the output folder`,
      );
    });

    it('crafted resource URIs never read outside the output folder', async () => {
      await writeFile(join(root, 'deep', 'secret.txt'), 'TOP-SECRET-CONTENT-42');
      const uris = [
        'matryoshka://output/..%2Fsecret.txt',
        'matryoshka://output/%2E%2E%2Fsecret.txt',
        'matryoshka://output/../secret.txt',
        'matryoshka://output/..%5Csecret.txt',
        `matryoshka://output/${encodeURIComponent(join(root, 'deep', 'secret.txt'))}`,
        'matryoshka://output/.',
        'matryoshka://output/',
        'file:///etc/passwd',
      ];
      for (const uri of uris) {
        const outcome = await client.readResource({ uri }).then(
          (r) => JSON.stringify(r),
          (e: unknown) => `refused: ${String(e)}`,
        );
        expect(outcome, uri).not.toContain('TOP-SECRET-CONTENT-42');
        expect(outcome, uri).not.toContain('root:');
        expect(outcome, uri).toMatch(/^refused: /);
      }
    });
  });
});
