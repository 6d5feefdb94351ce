import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../runtime.js';
import { temporaryDir } from '../testing/fixtures.js';
import { useEngine } from '../testing/suite.js';
import { type RunningHttpServer, startHttpServer } from './http-server.js';

// The security review's attacks over Streamable HTTP, each against a real server on a real socket.
const TOKEN = 'security-token-0123456789';
const shared = useEngine();
let out: Awaited<ReturnType<typeof temporaryDir>>;
let server: RunningHttpServer;

beforeAll(async () => {
  out = await temporaryDir('mcp-http-sec');
  const runtime = createRuntime(shared.engine, { outputDir: out.dir, maxQueuePerSession: 2 });
  server = await startHttpServer(runtime, { host: '127.0.0.1', port: 0, token: TOKEN });
});
afterAll(async () => {
  await server.close();
  await out.remove();
});

async function connect(): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(server.url), {
    requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
  });
  const client = new Client({ name: 'sec-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

function raw(
  path: string,
  headers: Record<string, string>,
  body?: object,
): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, server.url),
      {
        method: body ? 'POST' : 'GET',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const waitUntil = async (ok: () => boolean, ms: number) => {
  const end = performance.now() + ms;
  while (!ok() && performance.now() < end) await new Promise((r) => setTimeout(r, 10));
  return ok();
};

describe('Streamable HTTP defaults', () => {
  it('answers /.well-known/oauth-* with 404, not a 401 that starts OAuth discovery', async () => {
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-authorization-server']) {
      const res = await raw(path, {});
      expect(res.status, path).toBe(404);
      expect(res.headers['www-authenticate'], path).toBeUndefined();
    }
  });

  it('refuses a web page on any other localhost port, even with the token', async () => {
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'page', version: '1' } },
    };
    const page = await raw(
      '/mcp',
      { origin: 'http://localhost:5173', authorization: `Bearer ${TOKEN}` },
      initialize,
    );
    expect(page.status).toBe(403);
  });
});

describe('no one client holds the server', () => {
  it('a dropped connection cancels its running generation within a step', async () => {
    const { client, transport } = await connect();
    const sessionId = transport.sessionId as string;
    // The raw call, so the connection can be cut without sending notifications/cancelled.
    const call = request(new URL(server.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${TOKEN}`,
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-06-18',
      },
    });
    call.on('error', () => {});
    let progressSeen = false;
    call.on('response', (res) => res.on('data', () => (progressSeen = true)));
    call.end(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 77,
        method: 'tools/call',
        params: {
          name: 'generate_image',
          arguments: { prompt: 'held', steps: 1000 },
          _meta: { progressToken: 1 },
        },
      }),
    );
    expect(await waitUntil(() => progressSeen && shared.engine.pending === 1, 10_000)).toBe(true);
    call.destroy();
    const cut = performance.now();
    expect(await waitUntil(() => shared.engine.pending === 0, 5_000)).toBe(true);
    // 1000 steps of the fixture take far longer than this.
    expect(performance.now() - cut).toBeLessThan(2_000);
    await client.close();
  });

  it('closing the session (DELETE) cancels its running call', async () => {
    const { client, transport } = await connect();
    const pending = client
      .callTool(
        { name: 'generate_image', arguments: { prompt: 'held', steps: 1000 } },
        CallToolResultSchema,
        {
          onprogress: () => {},
          timeout: 60_000,
        },
      )
      .catch((e: unknown) => e);
    expect(await waitUntil(() => shared.engine.pending === 1, 10_000)).toBe(true);
    await transport.terminateSession();
    expect(await waitUntil(() => shared.engine.pending === 0, 3_000)).toBe(true);
    await client.close();
    await pending;
  });

  it('refuses an oversize call up front, naming its size and the limit', async () => {
    const { client } = await connect();
    const started = performance.now();
    const result = (await client.callTool(
      { name: 'generate_image', arguments: { prompt: 'a lot', steps: 1000, count: 16 } },
      CallToolResultSchema,
    )) as CallToolResult;
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toMatch(
      /too large: 1000 steps × 16 image\(s\) × 64×64 px = 65,536,000 pixel-steps, over the limit of 16,777,216/,
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    await client.close();
  });

  it('limits how many calls one session may have running or waiting', async () => {
    const { client } = await connect();
    const controller = new AbortController();
    const held = [1, 2].map(() =>
      client
        .callTool(
          { name: 'generate_image', arguments: { prompt: 'held', steps: 1000 } },
          CallToolResultSchema,
          {
            signal: controller.signal,
            onprogress: () => {},
            timeout: 60_000,
          },
        )
        .catch((e: unknown) => e),
    );
    expect(await waitUntil(() => shared.engine.pending === 2, 10_000)).toBe(true);
    const third = (await client.callTool(
      { name: 'generate_image', arguments: { prompt: 'third', steps: 1 } },
      CallToolResultSchema,
    )) as CallToolResult;
    expect(third.isError).toBe(true);
    expect((third.content[0] as { text: string }).text).toMatch(/^BUSY: this client already has 2 call\(s\)/);
    // Another client still gets its turn.
    const other = await connect();
    const quick = (await other.client.callTool(
      { name: 'list_models', arguments: {} },
      CallToolResultSchema,
    )) as CallToolResult;
    expect(quick.isError).toBeFalsy();
    controller.abort();
    await Promise.all(held);
    expect(await waitUntil(() => shared.engine.pending === 0, 5_000)).toBe(true);
    await client.close();
    await other.client.close();
  });
});
