import { MatryoshkaError } from '@matryoshka/core';
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ReadResourceRequestSchema, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { ClientSession } from './client-session.js';
import { OUTPUT_URI_PREFIX } from './output-store.js';

/** JSON-RPC code the MCP specification gives "resource not found": the one code for every unknown URI. */
export const RESOURCE_NOT_FOUND = -32002;
const LISTED_FILES = 100;

/** Makes every generated file readable (and the newest ones listable) as `matryoshka://output/<name>`. */
export function registerOutputResources(server: McpServer, session: ClientSession): void {
  server.registerResource(
    'generated-file',
    new ResourceTemplate(`${OUTPUT_URI_PREFIX}{name}`, {
      list: async () => {
        const store = await session.folder.store();
        const files = await store.list(LISTED_FILES);
        return {
          resources: files.map((f) => ({ uri: f.uri, name: f.name, mimeType: f.mimeType, size: f.bytes })),
        };
      },
    }),
    {
      title: 'Generated file',
      description: 'An image or clip this server generated, by file name in the output folder',
    },
    (uri) => read(session, uri.href),
  );
  // Replaces the SDK's dispatch, which answers URIs outside the template with another code
  // (-32602) and a message that the client prefixes a second time.
  server.server.setRequestHandler(ReadResourceRequestSchema, (request) => read(session, request.params.uri));
}

async function read(session: ClientSession, uri: string): Promise<ReadResourceResult> {
  if (!uri.startsWith(OUTPUT_URI_PREFIX)) {
    throw notFound(uri, `no resource ${uri}: this server serves only ${OUTPUT_URI_PREFIX}<file name>`);
  }
  let name: string;
  try {
    name = decodeURIComponent(uri.slice(OUTPUT_URI_PREFIX.length));
  } catch {
    throw notFound(uri, `no resource ${uri}: the file name is not valid percent-encoding`);
  }
  const store = await session.folder.store();
  try {
    const file = await store.read(name);
    return { contents: [{ uri, mimeType: file.mimeType, blob: Buffer.from(file.bytes).toString('base64') }] };
  } catch (error) {
    throw notFound(uri, MatryoshkaError.isInstance(error) ? error.message : String(error));
  }
}

/** A JSON-RPC error as the SDK sends it (code, message, data), without McpError's "MCP error …:" prefix. */
function notFound(uri: string, message: string): Error {
  return Object.assign(new Error(message), { code: RESOURCE_NOT_FOUND, data: { uri } });
}
