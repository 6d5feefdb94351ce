import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Runtime } from './runtime.js';
import { createMatryoshkaServer } from './server.js';

/**
 * Serves one client over stdin/stdout. Anything a dependency prints with console.log would corrupt
 * the JSON-RPC stream, so console output is sent to stderr for the life of the process.
 * Resolves when the client goes away (stdin closes).
 */
export async function serveStdio(runtime: Runtime): Promise<void> {
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  const server = createMatryoshkaServer(runtime);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
  });
  await server.connect(new StdioServerTransport());
  await closed;
  await server.close().catch(() => {});
}
