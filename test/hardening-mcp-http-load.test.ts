import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startMcpHttpServer } from './hardening-mcp-server-process.js';

let server: ServerProcess;
let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'mcp-load-'));
  server = await startMcpHttpServer(out);
});
afterAll(async () => {
  await server?.stop();
  await rm(out, { recursive: true, force: true });
});

async function connect(): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(server.url));
  const client = new Client({ name: 'load-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

/** "(N open)" from the server's debug line for the session opened last. */
function openSessionsReported(): number {
  const counts = [...server.stderr().matchAll(/session \S+ opened \((\d+) open\)/g)].map((m) => Number(m[1]));
  return counts.at(-1) ?? Number.NaN;
}

function text(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

describe('50 concurrent clients over Streamable HTTP (real server process)', () => {
  it('every call completes or gets a clean BUSY answer; RSS stays bounded; no session outlives its client', async () => {
    const N = 50;
    // One warm call first: the model load belongs to the baseline, not to the load test.
    const warm = await connect();
    await warm.client.callTool({
      name: 'generate_image',
      arguments: { prompt: 'warm up', steps: 2, seed: 0 },
    });
    await warm.transport.terminateSession();
    await warm.client.close();
    const before = server.memoryMB();

    for (let wave = 0; wave < 2; wave++) {
      const clients = await Promise.all(Array.from({ length: N }, connect));
      // Every client is counted by the server: the last one opened reports N open sessions.
      expect(openSessionsReported()).toBe(N);
      const results = await Promise.all(
        clients.map(({ client }, i) =>
          client
            .callTool(
              { name: 'generate_image', arguments: { prompt: `load test ${wave} ${i}`, steps: 3, seed: i } },
              CallToolResultSchema,
              { timeout: 120_000 },
            )
            .then((r) => r as CallToolResult),
        ),
      );
      const done = results.filter((r) => !r.isError);
      const busy = results.filter((r) => r.isError);
      for (const r of busy) {
        // A clean queue-full answer: the BUSY code first, a retry hint, and the code under _meta.
        expect(text(r)).toMatch(/^BUSY: /);
        expect(r._meta?.['matryoshka/error']).toMatchObject({ code: 'BUSY' });
      }
      for (const r of done) expect(r.structuredContent).toHaveProperty('path');
      expect(done.length + busy.length).toBe(N);
      // Concurrency 1 + a queue of 8 take at least 9; the rest must be refused, not left hanging.
      expect(done.length).toBeGreaterThanOrEqual(9);
      // Clients leave properly (DELETE), and the server forgets them.
      await Promise.all(
        clients.map(async ({ client, transport }) => {
          await transport.terminateSession();
          await client.close();
        }),
      );
      console.info(
        `MCP HTTP wave ${wave + 1}: ${N} concurrent calls → ${done.length} images, ${busy.length} BUSY`,
      );
    }

    // If sessions had leaked, this one would report 2N + 2 open; it reports itself alone.
    const probe = await connect();
    expect(openSessionsReported()).toBe(1);
    await probe.transport.terminateSession();
    await probe.client.close();

    const after = server.memoryMB();
    expect(after.rss - before.rss).toBeLessThan(200);
    expect(after.peak).toBeLessThan(1024);
    expect(server.stderr()).not.toMatch(/unhandled rejection|HTTP \w+ \S+ failed/);
    const files = (await readdir(out)).filter((f) => !f.startsWith('.'));
    console.info(
      `MCP HTTP: server RSS ${before.rss.toFixed(0)} → ${after.rss.toFixed(0)} MB (peak ${after.peak.toFixed(0)} MB), ${files.length} files, no leaked sessions`,
    );
  });
});
