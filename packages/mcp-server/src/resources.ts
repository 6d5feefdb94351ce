import { MatryoshkaError } from '@matryoshka/core';
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { OutputFolder } from './output-folder.js';
import { OUTPUT_URI_PREFIX } from './output-store.js';

/** JSON-RPC code the MCP specification gives "resource not found". */
const RESOURCE_NOT_FOUND = -32002;
const LISTED_FILES = 100;

/** Makes every generated file readable (and the newest ones listable) as `matryoshka://output/<name>`. */
export function registerOutputResources(server: McpServer, folder: OutputFolder): void {
  server.registerResource(
    'generated-file',
    new ResourceTemplate(`${OUTPUT_URI_PREFIX}{name}`, {
      list: async () => {
        const store = await folder.store();
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
    async (uri, variables) => {
      const raw = variables.name;
      const name = decodeURIComponent(Array.isArray(raw) ? raw.join('/') : (raw ?? ''));
      const store = await folder.store();
      try {
        const file = await store.read(name);
        return {
          contents: [
            { uri: uri.href, mimeType: file.mimeType, blob: Buffer.from(file.bytes).toString('base64') },
          ],
        };
      } catch (error) {
        const message = MatryoshkaError.isInstance(error) ? error.message : String(error);
        throw new McpError(RESOURCE_NOT_FOUND, message, { uri: uri.href });
      }
    },
  );
}
