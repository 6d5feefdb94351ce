import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, CallToolResultSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../runtime.js';
import { temporaryDir } from '../testing/fixtures.js';
import { useEngine } from '../testing/suite.js';
import { type RunningHttpServer, startHttpServer } from './http-server.js';

const TOKEN = 'test-token-0123456789';
const shared = useEngine();
let out: Awaited<ReturnType<typeof temporaryDir>>;
let server: RunningHttpServer;

beforeAll(async () => {
  out = await temporaryDir('mcp-http');
  server = await startHttpServer(createRuntime(shared.engine, { outputDir: out.dir }), {
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    allowedOrigins: ['http://localhost:6274'],
  });
});
afterAll(async () => {
  await server.close();
  await out.remove();
});

async function connect(token: string | undefined): Promise<Client> {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers } });
  const client = new Client({ name: 'http-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

/** A raw request, because fetch() will not send a Host header of our choosing. */
function rawPost(
  headers: Record<string, string>,
  message: object = INITIALIZE,
  url = server.url,
  method = 'POST',
): Promise<{ status: number; body: string; sessionId?: string; headers: Record<string, unknown> }> {
  const body = method === 'POST' ? JSON.stringify(message) : '';
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${TOKEN}`,
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        const sessionId = res.headers['mcp-session-id'];
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text,
            headers: res.headers,
            ...(typeof sessionId === 'string' ? { sessionId } : {}),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('Streamable HTTP', () => {
  it('binds to 127.0.0.1 on the requested port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it('serves tools, progress and results to a real HTTP client holding the token', async () => {
    const client = await connect(TOKEN);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('generate_image');
      const progress: Progress[] = [];
      const result = (await client.callTool(
        { name: 'generate_image', arguments: { prompt: 'over http', steps: 3, seed: 1 } },
        CallToolResultSchema,
        { onprogress: (p) => progress.push(p) },
      )) as CallToolResult;
      expect(result.isError).toBeFalsy();
      expect(progress.map((p) => p.progress)).toEqual([1, 2, 3]);
      expect(result.content.map((c) => c.type)).toEqual(['text', 'image', 'resource_link']);
      expect((result.structuredContent as { path: string }).path.startsWith(out.dir)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('refuses a missing or wrong token with 401', async () => {
    await expect(connect(undefined)).rejects.toThrow(/401|bearer/i);
    await expect(connect('wrong-token-0123456789')).rejects.toThrow(/401|bearer/i);
    const missing = await rawPost({ authorization: '' });
    expect(missing.status).toBe(401);
  });

  it('refuses a foreign Host header with 403 (DNS rebinding)', async () => {
    const foreign = await rawPost({ host: 'attacker.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toContain('not allowed');
    const page = await rawPost({ origin: 'https://attacker.example' });
    expect(page.status).toBe(403);
    const local = await rawPost({ host: `localhost:${server.port}` });
    expect(local.status).toBe(200);
  });

  it('closes sessions left idle, so vanished clients do not pile up', async () => {
    const quick = await startHttpServer(createRuntime(shared.engine, { outputDir: out.dir }), {
      host: '127.0.0.1',
      port: 0,
      sessionIdleMs: 100,
    });
    try {
      const opened = await rawPost({}, INITIALIZE, quick.url);
      expect(opened.status).toBe(200);
      const sessionId = opened.sessionId ?? '';
      expect(sessionId).not.toBe('');
      const list = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };
      const headers = { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' };
      expect((await rawPost(headers, list, quick.url)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 400));
      const expired = await rawPost(headers, list, quick.url);
      expect(expired.status).toBe(404);
      expect(expired.body).toContain('expired session');
    } finally {
      await quick.close();
    }
  });

  it('answers CORS preflights from allowed origins only, and lets them read replies', async () => {
    const inspector = 'http://localhost:6274';
    const preflight = await rawPost(
      { origin: inspector, authorization: '' },
      INITIALIZE,
      server.url,
      'OPTIONS',
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(inspector);
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('mcp-session-id');
    const foreign = await rawPost(
      { origin: 'https://attacker.example', authorization: '' },
      INITIALIZE,
      server.url,
      'OPTIONS',
    );
    expect(foreign.status).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    // A page on another localhost port (any local dev server) is a foreign origin too.
    const otherPort = await rawPost({ origin: 'http://localhost:6275' });
    expect(otherPort.status).toBe(403);
    const own = await rawPost({ origin: `http://127.0.0.1:${server.port}` });
    expect(own.status).toBe(200);
    const post = await rawPost({ origin: inspector });
    expect(post.status).toBe(200);
    expect(post.headers['access-control-allow-origin']).toBe(inspector);
    expect(String(post.headers['access-control-expose-headers'])).toContain('mcp-session-id');
  });

  it('makes room for a new client by closing the longest-idle session when full', async () => {
    const small = await startHttpServer(createRuntime(shared.engine, { outputDir: out.dir }), {
      host: '127.0.0.1',
      port: 0,
      maxSessions: 2,
    });
    try {
      const list = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };
      const open = async () => (await rawPost({}, INITIALIZE, small.url)).sessionId ?? '';
      const headers = (id: string) => ({ 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' });
      const first = await open();
      await new Promise((r) => setTimeout(r, 20));
      const second = await open();
      await new Promise((r) => setTimeout(r, 20));
      expect((await rawPost(headers(first), list, small.url)).status).toBe(200);
      const third = await open();
      expect(third).not.toBe('');
      // The second session was idle longest (the first one was just used): it went.
      expect((await rawPost(headers(second), list, small.url)).status).toBe(404);
      expect((await rawPost(headers(first), list, small.url)).status).toBe(200);
      expect((await rawPost(headers(third), list, small.url)).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});
