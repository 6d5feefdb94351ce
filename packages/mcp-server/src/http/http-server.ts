import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_MAX_SESSIONS } from '../config.js';
import type { Runtime } from '../runtime.js';
import { createMatryoshkaServer } from '../server.js';
import { checkRequest, type GuardOptions } from './request-guard.js';

export interface HttpOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Extra host names to accept in the Host header; localhost names are always accepted. */
  allowedHosts?: string[];
  allowedOrigins?: string[];
  token?: string;
  /** Client sessions kept open; when full, the longest-idle one is closed for a newcomer. */
  maxSessions?: number;
  /** A session with no request open for this long is closed (clients that vanish never send DELETE). */
  sessionIdleMs?: number;
}

export interface RunningHttpServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:3917/mcp (for a wildcard bind, the loopback one). */
  url: string;
  /** Every URL a client can use: for a wildcard bind, loopback and each of the machine's addresses. */
  urls: string[];
  port: number;
  close(): Promise<void>;
}

export const MCP_PATH = '/mcp';
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  /** Requests (including a client's long-lived GET event stream) still open. */
  open: number;
  lastSeen: number;
}

const HOUR = 60 * 60 * 1000;

/**
 * Streamable HTTP: one stateful MCP session per client (Mcp-Session-Id), all sharing the runtime.
 * Host/Origin validation and the bearer token run before the SDK sees a request.
 */
export async function startHttpServer(runtime: Runtime, options: HttpOptions): Promise<RunningHttpServer> {
  const { log } = runtime;
  const ownHosts = [...new Set([...LOCAL_HOSTS, ...boundHosts(options.host)])].map((h) => h.toLowerCase());
  const guard: GuardOptions = {
    allowedHosts: [...new Set([...ownHosts, ...(options.allowedHosts ?? []).map((h) => h.toLowerCase())])],
    // The server's own origins join once the port is known (below).
    allowedOrigins: (options.allowedOrigins ?? []).map((o) => o.toLowerCase().replace(/\/$/, '')),
    ...(options.token ? { token: options.token } : {}),
  };
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  const idleMs = options.sessionIdleMs ?? HOUR;
  const sessions = new Map<string, Session>();

  const track = (session: Session, res: ServerResponse) => {
    session.open++;
    session.lastSeen = Date.now();
    res.once('close', () => {
      session.open--;
      session.lastSeen = Date.now();
    });
  };
  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const [id, session] of sessions) {
        if (session.open === 0 && now - session.lastSeen > idleMs) {
          log.debug(`session ${id} idle for ${Math.round((now - session.lastSeen) / 1000)} s: closed`);
          sessions.delete(id);
          void session.transport.close().catch(() => {});
        }
      }
    },
    Math.min(idleMs, 60_000),
  );
  sweep.unref();

  /**
   * Makes room for a new client by closing the session idle longest (no request open). Clients that
   * vanish without DELETE would otherwise lock newcomers out until the sweep; a client evicted while
   * merely quiet gets 404 on its next request, which tells it to initialize again.
   */
  const evictIdlest = (): boolean => {
    let idlest: [string, Session] | undefined;
    for (const entry of sessions) {
      if (entry[1].open === 0 && (!idlest || entry[1].lastSeen < idlest[1].lastSeen)) idlest = entry;
    }
    if (!idlest) return false;
    const [id, session] = idlest;
    log.info(
      `session limit reached: closing session ${id}, idle for ${Math.round((Date.now() - session.lastSeen) / 1000)} s`,
    );
    sessions.delete(id);
    void session.transport.close().catch(() => {});
    return true;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    // Before the token: a 401 anywhere else (/.well-known/oauth-…) would send clients looking for
    // an OAuth server that does not exist; the token is a static bearer secret.
    if (path !== MCP_PATH) return sendError(res, 404, `not found; the MCP endpoint is ${MCP_PATH}`);
    // A browser's CORS preflight carries no credentials, so only Host and Origin are checked for it.
    const preflight = req.method === 'OPTIONS';
    const { token: _token, ...withoutToken } = guard;
    const verdict = checkRequest(req, preflight ? withoutToken : guard);
    if (!verdict.ok) {
      log.warn(`refused ${req.method} ${req.url}: ${verdict.message}`);
      const headers: Record<string, string> =
        verdict.status === 401 ? { 'www-authenticate': 'Bearer realm="matryoshka-mcp"' } : {};
      return sendError(res, verdict.status, verdict.message, headers);
    }
    const origin = req.headers.origin;
    // The guard has vetted the origin: browser-based clients (web inspectors, web apps) may read replies.
    if (origin !== undefined) {
      for (const [name, value] of Object.entries(corsHeaders(origin))) res.setHeader(name, value);
    }
    if (preflight) {
      res.writeHead(204);
      res.end();
      return;
    }

    const sessionId = header(req, 'mcp-session-id');
    if (sessionId !== undefined) {
      const session = sessions.get(sessionId);
      if (!session) return sendError(res, 404, 'unknown or expired session; initialize a new one');
      track(session, res);
      const body = req.method === 'POST' ? await readJson(req, res) : undefined;
      if (body === INVALID) return;
      cancelOnDisconnect(session.transport, res, body);
      return session.transport.handleRequest(req, res, body);
    }
    if (req.method !== 'POST') return sendError(res, 400, 'missing Mcp-Session-Id header');
    const body = await readJson(req, res);
    if (body === INVALID) return;
    if (!isInitializeRequest(body))
      return sendError(res, 400, 'the first request of a session must be "initialize"');
    if (sessions.size >= maxSessions && !evictIdlest()) {
      return sendError(res, 503, `too many open sessions (${maxSessions}), all of them busy`);
    }

    const server = createMatryoshkaServer(runtime);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server, open: 0, lastSeen: Date.now() });
        log.debug(`session ${id} opened (${sessions.size} open)`);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      void server.close().catch(() => {});
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error(`HTTP ${req.method} ${req.url} failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) sendError(res, 500, 'internal server error');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  for (const host of ownHosts) guard.allowedOrigins.push(`http://${host}:${port}`);
  const wildcard = isWildcard(options.host);
  const shownHosts = wildcard
    ? ['127.0.0.1', ...machineAddresses()]
    : [options.host.includes(':') ? `[${options.host}]` : options.host];
  const urls = shownHosts.map((h) => `http://${h}:${port}${MCP_PATH}`);
  return {
    url: urls[0] as string,
    urls,
    port,
    async close() {
      clearInterval(sweep);
      await Promise.allSettled([...sessions.values()].map((s) => s.transport.close()));
      sessions.clear();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/**
 * Binding to a specific name or address makes that name a valid Host too; a wildcard bind makes
 * every address of the machine one, so the URLs the server prints work.
 */
function boundHosts(host: string): string[] {
  if (isWildcard(host)) return machineAddresses();
  return [host.includes(':') ? `[${host}]` : host];
}

const isWildcard = (host: string) => host === '0.0.0.0' || host === '::' || host === '';

function machineAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal)
    .map((a) => (a?.family === 'IPv6' ? `[${a.address}]` : (a?.address as string)));
}

/**
 * A client that drops its connection without cancelling still holds its calls: when the response
 * closes before it was finished, each request the body carried is cancelled as if the client had
 * sent notifications/cancelled, so its generation stops within a denoising step.
 */
function cancelOnDisconnect(
  transport: StreamableHTTPServerTransport,
  res: ServerResponse,
  body: unknown,
): void {
  const messages = Array.isArray(body) ? body : [body];
  const ids = messages
    .filter((m): m is { id: string | number; method: string } => {
      const message = m as { id?: unknown; method?: unknown } | null;
      return (
        typeof message?.method === 'string' &&
        (typeof message.id === 'string' || typeof message.id === 'number')
      );
    })
    .map((m) => m.id);
  if (ids.length === 0) return;
  res.once('close', () => {
    if (res.writableFinished) return;
    for (const requestId of ids) {
      transport.onmessage?.({
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId, reason: 'the client closed its connection' },
      });
    }
  });
}

function corsHeaders(origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
    'access-control-allow-headers':
      'authorization, content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id',
    'access-control-expose-headers': 'mcp-session-id, mcp-protocol-version, www-authenticate',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const INVALID = Symbol('invalid body');

async function readJson(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      sendError(res, 413, `request body over ${MAX_BODY_BYTES} bytes`);
      return INVALID;
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    sendJsonRpcError(res, 400, -32700, 'Parse error: the body is not JSON');
    return INVALID;
  }
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJsonRpcError(res, status, -32000, message, headers);
}

function sendJsonRpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
