import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type CallToolResult, CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporaryDir } from './testing/fixtures.js';
import { type Connected, connectInMemory } from './testing/in-memory.js';
import { useEngine } from './testing/suite.js';

const DECK = `---
marp: true
---

# Apples

Red apples on a tree
`;
const SCRIPT = '#!/bin/sh\necho "the user\'s script"\n';

// The security review's attacks on illustrate_deck, through a real client: each must fail with an
// isError naming the path, the rule and the allowed folders, and leave every file as it was.
const shared = useEngine();
let project: Awaited<ReturnType<typeof temporaryDir>>;
let outside: Awaited<ReturnType<typeof temporaryDir>>;
let session: Connected;

beforeEach(async () => {
  project = await temporaryDir('mcp-access-root');
  outside = await temporaryDir('mcp-access-outside');
  await writeFile(join(project.dir, 'talk.md'), DECK);
  await writeFile(join(outside.dir, 'secret.md'), DECK);
  await writeFile(join(project.dir, 'run.sh'), SCRIPT);
  session = await connectInMemory(
    shared.engine,
    { outputDir: join(project.dir, 'out') },
    { roots: [pathToFileURL(project.dir).href] },
  );
});
afterEach(async () => {
  await session.close();
  await project.remove();
  await outside.remove();
});

const call = async (args: Record<string, unknown>, connected = session) =>
  (await connected.client.callTool(
    { name: 'illustrate_deck', arguments: args },
    CallToolResultSchema,
  )) as CallToolResult;
const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;

describe('illustrate_deck reads and writes only inside the allowed folders', () => {
  it('refuses to read a deck outside the client roots, naming the rule and the folders', async () => {
    const result = await call({ path: join(outside.dir, 'secret.md'), dryRun: true });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain(join(outside.dir, 'secret.md'));
    expect(text(result)).toMatch(/outside the folders this server may read/);
    expect(text(result)).toContain(project.dir);
  });

  it('refuses to write outside the roots, creating no folder there', async () => {
    const target = join(outside.dir, 'new', 'deck.md');
    const result = await call({ path: 'talk.md', output: target, steps: 1 });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/outside the folders this server may write/);
    expect(existsSync(join(outside.dir, 'new'))).toBe(false);
  });

  it('follows links before judging: a link inside the root that leads out is refused', async () => {
    await symlink(outside.dir, join(project.dir, 'escape'));
    const read = await call({ path: 'escape/secret.md', dryRun: true });
    expect(read.isError).toBe(true);
    expect(text(read)).toMatch(/outside the folders this server may read/);
    const write = await call({ path: 'talk.md', output: 'escape/owned.md', steps: 1 });
    expect(write.isError).toBe(true);
    expect(await readdir(outside.dir)).toEqual(['secret.md']);
  });

  it('never writes a deck over a shell script (the crafted-Marp attack), with or without overwrite', async () => {
    for (const overwrite of [false, true]) {
      const result = await call({ path: 'talk.md', output: 'run.sh', overwrite, steps: 1 });
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/must be written to a \.md file/);
    }
    expect(await readFile(join(project.dir, 'run.sh'), 'utf8')).toBe(SCRIPT);
  });

  it('keeps an existing output unless overwrite: true, and then replaces it atomically', async () => {
    await writeFile(join(project.dir, 'talk.illustrated.md'), 'mine');
    const refused = await call({ path: 'talk.md', steps: 1 });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/already exists; nothing was drawn or written/);
    expect(await readFile(join(project.dir, 'talk.illustrated.md'), 'utf8')).toBe('mine');
    const replaced = await call({ path: 'talk.md', steps: 1, overwrite: true });
    expect(replaced.isError, text(replaced)).toBeFalsy();
    expect(await readFile(join(project.dir, 'talk.illustrated.md'), 'utf8')).toMatch(/!\[bg/);
  });

  it('writes only regular files: a FIFO as output is refused and stays a FIFO', async () => {
    execFileSync('mkfifo', [join(project.dir, 'pipe.md')]);
    const result = await call({ path: 'talk.md', output: 'pipe.md', overwrite: true, steps: 1 });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/named pipe/);
    expect((await stat(join(project.dir, 'pipe.md'))).isFIFO()).toBe(true);
  });

  it('declares itself destructive, since overwrite: true replaces files', async () => {
    const { tools } = await session.client.listTools();
    const tool = tools.find((t) => t.name === 'illustrate_deck');
    expect(tool?.annotations?.destructiveHint).toBe(true);
    expect(Object.keys(tool?.inputSchema.properties ?? {})).toContain('overwrite');
  });

  it('without client roots: the working directory and --allow-dir folders, relative paths from the first', async () => {
    const extra = join(outside.dir, 'shared');
    await mkdir(extra);
    await writeFile(join(extra, 'team.md'), DECK);
    const noRoots = await connectInMemory(shared.engine, {
      outputDir: join(project.dir, 'out'),
      cwd: project.dir,
      allowDirs: [extra],
    });
    try {
      expect((await call({ path: 'talk.md', dryRun: true }, noRoots)).isError).toBeFalsy();
      expect((await call({ path: join(extra, 'team.md'), dryRun: true }, noRoots)).isError).toBeFalsy();
      const refused = await call({ path: join(outside.dir, 'secret.md'), dryRun: true }, noRoots);
      expect(refused.isError).toBe(true);
      expect(text(refused)).toContain(extra);
    } finally {
      await noRoots.close();
    }
  });

  it('a server started in / allows nothing by itself (desktop apps start servers there)', async () => {
    const rootCwd = await connectInMemory(shared.engine, { outputDir: join(project.dir, 'out'), cwd: '/' });
    try {
      const result = await call({ path: '/etc/hostname', dryRun: true }, rootCwd);
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/outside the folders this server may read/);
    } finally {
      await rootCwd.close();
    }
  });
});
