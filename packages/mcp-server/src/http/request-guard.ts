import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface GuardOptions {
  /** Host names (no port) a request's Host header may carry. */
  allowedHosts: string[];
  /** The exact origins (`http://localhost:6274`) a browser request may come from: the server's own and those configured. */
  allowedOrigins: string[];
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
}

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

/**
 * DNS-rebinding protection and the optional bearer token, checked before any MCP handling.
 * A rebinding attack reaches 127.0.0.1 from a web page under a foreign name, so the Host header
 * (and a browser's Origin) must name this machine; the port is ignored, because clients reach the
 * server through whatever port mapping they have.
 */
export function checkRequest(req: IncomingMessage, options: GuardOptions): GuardVerdict {
  const host = hostnameOf(req.headers.host);
  if (!host || !options.allowedHosts.includes(host)) {
    return { ok: false, status: 403, message: `Host "${req.headers.host ?? ''}" is not allowed` };
  }
  const origin = req.headers.origin;
  // Clients outside a browser send no Origin; a browser always does, and an opaque "null" is refused.
  if (origin !== undefined && !originAllowed(origin, options)) {
    return { ok: false, status: 403, message: `Origin "${origin}" is not allowed` };
  }
  if (options.token !== undefined && !tokenMatches(req.headers.authorization, options.token)) {
    return { ok: false, status: 401, message: 'missing or wrong bearer token' };
  }
  return { ok: true };
}

// Exact matches only: any page served from another localhost port (a dev server, a local app) is
// another origin, and must not drive this server from the user's browser.
function originAllowed(origin: string, options: GuardOptions): boolean {
  return options.allowedOrigins.includes(origin.toLowerCase());
}

/** `example.com:8080` → `example.com`, `[::1]:80` → `[::1]`, lower-cased. */
export function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  const lower = hostHeader.trim().toLowerCase();
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']');
    return end > 0 ? lower.slice(0, end + 1) : undefined;
  }
  const colon = lower.indexOf(':');
  return colon >= 0 ? lower.slice(0, colon) : lower;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].trim());
  const expected = Buffer.from(token);
  // Constant time, so the token cannot be guessed byte by byte from response times.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
