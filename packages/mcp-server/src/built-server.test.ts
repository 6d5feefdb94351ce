import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, CallToolResultSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './testing/build.js';
import { BIN, FIXTURES_DIR, fixtureServerArgs, REPO_ROOT, temporaryDir } from './testing/fixtures.js';

const run = promisify(execFile);
const INSPECTOR = join(
  REPO_ROOT,
  'node_modules',
  '@modelcontextprotocol',
  'inspector',
  'clients',
  'launcher',
  'build',
  'index.js',
);

let out: Awaited<ReturnType<typeof temporaryDir>>;
let client: Client;
let stderr = '';

// Building (core, slides and this package when stale) can take minutes on a loaded two-core machine.
beforeAll(async () => {
  await ensureBuilt();
  out = await temporaryDir('mcp-stdio');
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: fixtureServerArgs(out.dir),
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  client = new Client({ name: 'stdio-test', version: '1.0.0' });
  await client.connect(transport);
}, 300_000);
afterAll(async () => {
  await client?.close();
  await out?.remove();
});

const call = (args: Record<string, unknown>, options = {}) =>
  client.callTool(
    { name: 'generate_image', arguments: args },
    CallToolResultSchema,
    options,
  ) as Promise<CallToolResult>;

describe('the built server over stdio', () => {
  it('refuses illustrate_deck paths outside its folders (the client has no roots: its working directory)', async () => {
    const deck = join(out.dir, 'talk.md');
    await writeFile(deck, '---\nmarp: true\n---\n\n# Apples\n');
    const result = (await client.callTool(
      { name: 'illustrate_deck', arguments: { path: deck, output: join(out.dir, 'talk.out.md') } },
      CallToolResultSchema,
    )) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/outside the folders this server may read/);
    expect(existsSync(join(out.dir, 'talk.out.md'))).toBe(false);
  });

  it('generates a real PNG, with progress at every step', async () => {
    const progress: Progress[] = [];
    const result = await call(
      { prompt: 'a green tree', steps: 5, seed: 3 },
      { onprogress: (p: Progress) => progress.push(p) },
    );
    expect(result.isError).toBeFalsy();
    expect(progress.map((p) => p.progress)).toEqual([1, 2, 3, 4, 5]);
    const { path } = result.structuredContent as { path: string };
    expect(existsSync(path)).toBe(true);
    expect((await sharp(await readFile(path)).metadata()).format).toBe('png');
    // Logs went to stderr, never into the JSON-RPC stream (the client would have failed to parse them).
    expect(stderr).toContain('ready on stdio');
  });

  it('ends the work early when the client cancels', async () => {
    const controller = new AbortController();
    const stepTimes: number[] = [];
    const pending = call(
      { prompt: 'a long job', steps: 1000 },
      {
        signal: controller.signal,
        onprogress: () => {
          if (stepTimes.push(performance.now()) === 3) controller.abort();
        },
      },
    );
    await expect(pending).rejects.toThrow();
    const stepMs = ((stepTimes[2] ?? 0) - (stepTimes[0] ?? 0)) / 2;
    // With one generation at a time, a short job right after waits for the cancelled one to stop.
    const before = performance.now();
    const next = await call({ prompt: 'next', steps: 2 });
    const waitedMs = performance.now() - before;
    expect(next.isError).toBeFalsy();
    const bound = Math.max(50 * stepMs, 500);
    expect(waitedMs).toBeLessThan(bound);
    expect(997 * stepMs).toBeGreaterThan(2 * bound);
    expect(stderr).toMatch(/cancelled by the client after [3-9] step/);
  });

  it('answers bad arguments with isError and keeps running', async () => {
    const bad = await call({ prompt: '', steps: 'many' });
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toMatch(/prompt|steps/);
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThanOrEqual(3);
  });
});

describe('the MCP Inspector CLI as an independent client', () => {
  const inspector = INSPECTOR;
  const serverCommand = () => [process.execPath, ...fixtureServerArgs(out.dir)];
  const inspect = (...args: string[]) =>
    run(process.execPath, [inspector, '--cli', ...serverCommand(), ...args], {
      timeout: 60_000,
      maxBuffer: 16 << 20,
    });

  it.skipIf(!existsSync(inspector))('lists the tools', async () => {
    // --strict fails (exit 6) on schemas some clients cannot use, and prints every warning.
    const { stdout, stderr: report } = await inspect('--method', 'tools/list', '--strict');
    expect(report).not.toMatch(/Warning|error/i);
    const { tools } = JSON.parse(stdout) as { tools: Array<{ name: string; outputSchema?: unknown }> };
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['generate_image', 'generate_clip', 'list_models', 'illustrate_deck']),
    );
  });

  it.skipIf(!existsSync(inspector))(
    'calls generate_image: image block, resource link, structured content with a real PNG',
    async () => {
      const { stdout } = await inspect(
        '--method',
        'tools/call',
        '--tool-name',
        'generate_image',
        '--tool-arg',
        'prompt=a blue whale',
        'steps=2',
        'seed=11',
      );
      const result = JSON.parse(stdout) as CallToolResult;
      expect(result.isError).toBeFalsy();
      expect(result.content.map((c) => c.type)).toEqual(['text', 'image', 'resource_link']);
      const { path, seed } = result.structuredContent as { path: string; seed: number };
      expect(seed).toBe(11);
      expect((await sharp(await readFile(path)).metadata()).format).toBe('png');
    },
  );
});

describe('the built server with --http', () => {
  it('prints its URL on stderr and serves a client that sends the token', async () => {
    const child = spawn(
      process.execPath,
      [...fixtureServerArgs(out.dir), '--http', '--port', '0', '--token', 'cli-token'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let log = '';
      let printed = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk) => {
          printed += chunk;
        });
        child.stderr.on('data', (chunk) => {
          log += chunk;
          const match = /Streamable HTTP at (http:\/\/\S+)/.exec(log);
          if (match?.[1]) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${log}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      const http = new Client({ name: 'cli-http', version: '1.0.0' });
      await http.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: { authorization: 'Bearer cli-token' } },
        }),
      );
      const { tools } = await http.listTools();
      expect(tools.map((t) => t.name)).toContain('generate_image');
      await http.close();
      // The Inspector as a second, independent HTTP client.
      if (existsSync(INSPECTOR)) {
        const { stdout } = await run(
          process.execPath,
          [
            INSPECTOR,
            '--cli',
            url,
            '--transport',
            'http',
            '--header',
            'Authorization: Bearer cli-token',
            '--method',
            'tools/call',
            '--tool-name',
            'generate_image',
            '--tool-arg',
            'prompt=over http',
            'steps=2',
          ],
          { timeout: 60_000, maxBuffer: 16 << 20 },
        );
        const result = JSON.parse(stdout) as CallToolResult;
        expect(result.content.map((c) => c.type)).toEqual(['text', 'image', 'resource_link']);
      }
      expect(printed).toBe('');
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('start-up errors', () => {
  it('explains a busy port and exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const outcome = await run(process.execPath, [
        BIN,
        '--http',
        '--port',
        String(port),
        '--models-dir',
        FIXTURES_DIR,
      ]).catch((error: { code: number; stderr: string }) => error);
      expect(outcome).toMatchObject({ code: 1 });
      expect((outcome as { stderr: string }).stderr).toContain(`port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('explains a bad flag and exits 2', async () => {
    const outcome = await run(process.execPath, [BIN, '--max-queue', 'lots']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(outcome).toMatchObject({ code: 2 });
    expect((outcome as { stderr: string }).stderr).toContain('--max-queue: must be an integer');
  });
});

describe('HTTP defaults of the built server', () => {
  it('refuses to listen beyond loopback without a token: exit 2, one line saying why and how', async () => {
    const outcome = await run(process.execPath, [BIN, '--http', '--host', '0.0.0.0', '--port', '0']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(outcome).toMatchObject({ code: 2 });
    const stderr = (outcome as { stderr: string }).stderr.trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/--host 0\.0\.0\.0 is reachable from other machines.*--token/);
  });

  it('on 0.0.0.0 with a token, prints the loopback URL (which works) and the machine addresses', async () => {
    const child = spawn(
      process.execPath,
      [
        BIN,
        '--http',
        '--host',
        '0.0.0.0',
        '--port',
        '0',
        '--models-dir',
        FIXTURES_DIR,
        '--token',
        'tok-123456',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    try {
      let log = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (chunk) => {
          log += chunk;
          const found = /Streamable HTTP at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(log);
          if (found?.[1]) resolve(found[1]);
        });
        child.once('exit', () => reject(new Error(`exited: ${log}`)));
      });
      const transport = new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { authorization: 'Bearer tok-123456' } },
      });
      const http = new Client({ name: 'lan-test', version: '1.0.0' });
      await http.connect(transport);
      expect((await http.listTools()).tools.length).toBeGreaterThan(0);
      await http.close();
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('shutdown', () => {
  it('stops a running generation and exits promptly on SIGTERM', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: fixtureServerArgs(out.dir),
      stderr: 'pipe',
    });
    const own = new Client({ name: 'shutdown-test', version: '1.0.0' });
    await own.connect(transport);
    const pid = transport.pid;
    expect(pid).toBeTypeOf('number');
    let steps = 0;
    let signalledAt = 0;
    const closed = new Promise<number>((resolve) => {
      transport.onclose = () => resolve(performance.now());
    });
    const pending = own
      .callTool(
        { name: 'generate_image', arguments: { prompt: 'long', steps: 1000 } },
        CallToolResultSchema,
        {
          onprogress: () => {
            if (++steps === 2) {
              signalledAt = performance.now();
              process.kill(pid as number, 'SIGTERM');
            }
          },
        },
      )
      .catch((error: unknown) => error);
    const closedAt = await closed;
    // Either the answer made it out before the exit, saying why, or the connection closed first.
    const outcome = await pending;
    if (!(outcome instanceof Error))
      expect(JSON.stringify(outcome)).toContain('ABORTED: the server is shutting down');
    expect(closedAt - signalledAt).toBeLessThan(3_000);
  });
});
