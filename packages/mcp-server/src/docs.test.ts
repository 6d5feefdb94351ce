import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, parseCliOptions, USAGE } from './cli-options.js';
import { MCP_PATH } from './http/http-server.js';
import { PACKAGE_DIR, REPO_ROOT } from './testing/fixtures.js';

const EXAMPLES = join(REPO_ROOT, 'examples', 'mcp');
const PACKAGE = '@matryoshka/mcp-server';

interface Entry {
  command?: string;
  args?: string[];
  url?: string;
}

/** Every server entry of every example config, whatever the client calls its top-level key. */
function entries(): Array<[string, Entry]> {
  return readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.json'))
    .flatMap((file) => {
      const config = JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Record<
        string,
        Record<string, Entry>
      >;
      const servers = config.mcpServers ?? config.servers ?? {};
      return Object.values(servers).map((entry) => [file, entry] as [string, Entry]);
    });
}

describe('example client configurations', () => {
  it('cover stdio and HTTP for each client', () => {
    const files = readdirSync(EXAMPLES);
    for (const client of ['claude-desktop', 'claude-code', 'vscode', 'cursor']) {
      expect(files.some((f) => f.startsWith(client))).toBe(true);
    }
    expect(entries().length).toBeGreaterThanOrEqual(7);
  });

  it('pass only options the server accepts, and point HTTP clients at the real endpoint', () => {
    for (const [file, entry] of entries()) {
      if (entry.url) {
        expect(entry.url, file).toBe(`http://127.0.0.1:${DEFAULT_PORT}${MCP_PATH}`);
        continue;
      }
      const args = entry.args ?? [];
      const at = args.indexOf(PACKAGE);
      expect(at, file).toBeGreaterThanOrEqual(0);
      expect(() => parseCliOptions(args.slice(at + 1), {}), file).not.toThrow();
    }
  });
});

describe('README', () => {
  it('documents only flags that exist, and every flag that exists', () => {
    const readme = readFileSync(join(PACKAGE_DIR, 'README.md'), 'utf8');
    const flags = (text: string) => new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z-]+/g)].map((m) => m[0]));
    const known = flags(USAGE);
    const documented = flags(readme);
    // Flags of other programs quoted in the README (claude mcp add, npx).
    for (const foreign of ['--scope', '--transport', '--header', '--help']) documented.delete(foreign);
    known.delete('--help');
    expect([...documented].filter((f) => !known.has(f))).toEqual([]);
    expect([...known].filter((f) => !documented.has(f))).toEqual([]);
  });
});
