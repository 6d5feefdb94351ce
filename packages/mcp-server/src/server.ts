import { MatryoshkaError } from '@matryoshka/core';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ClientSession } from './client-session.js';
import { OutputFolder } from './output-folder.js';
import { registerOutputResources } from './resources.js';
import type { Runtime } from './runtime.js';
import { errorResult } from './tool-error.js';
import { registerGenerateClip } from './tools/generate-clip.js';
import { registerGenerateIcons } from './tools/generate-icons.js';
import { registerGenerateImage } from './tools/generate-image.js';
import { registerIllustrateDeck } from './tools/illustrate-deck.js';
import { registerListModels } from './tools/list-models.js';
import { VERSION } from './version.js';

const INSTRUCTIONS = `Generates images (and, with a clip model, short clips) locally with Matryoshka Diffusion models.
Call list_models to see what is installed. generate_image returns a small preview, a resource link and the saved file's path;
pass progress tokens to follow the denoising steps. Results are saved files: mention their paths to the user.`;

/**
 * One MCP server per client session. Sessions share the runtime (engine, queue, configuration) but
 * each has its own output folder, since each client may offer different roots.
 */
export function createMatryoshkaServer(runtime: Runtime): McpServer {
  const server = new MatryoshkaMcpServer(
    { name: 'matryoshka', title: 'Matryoshka Diffusion', version: VERSION },
    { instructions: INSTRUCTIONS, capabilities: { tools: {}, resources: {} } },
  );
  const folder = new OutputFolder(server.server, runtime.config.outputDir, runtime.log, {
    allowDirs: runtime.config.allowDirs,
    ...(runtime.config.cwd === undefined ? {} : { cwd: runtime.config.cwd }),
  });
  const session = new ClientSession(folder, runtime);
  registerGenerateImage(server, runtime, session);
  registerGenerateClip(server, runtime, session);
  registerGenerateIcons(server, runtime, session);
  registerListModels(server, runtime);
  registerIllustrateDeck(server, runtime, session);
  registerOutputResources(server, session);
  return server;
}

/**
 * The SDK's server with two edges made readable: a tools/call whose `arguments` is null (some
 * clients send it for "no arguments") gets the tool's own "prompt is required" instead of a
 * schema dump, and argument validation failures read like the server's other errors.
 */
class MatryoshkaMcpServer extends McpServer {
  override async connect(transport: Transport): Promise<void> {
    await super.connect(transport);
    const receive = transport.onmessage;
    if (!receive) return;
    transport.onmessage = (message, extra) => receive(withoutNullArguments(message), extra);
  }

  constructor(...args: ConstructorParameters<typeof McpServer>) {
    super(...args);
    // The SDK turns argument validation failures into tool errors through this (private) method.
    (this as unknown as { createToolError: (message: string) => CallToolResult }).createToolError = toolError;
  }
}

function toolError(errorMessage: string): CallToolResult {
  const validation =
    /^(?:MCP error -?\d+: )?Input validation error: Invalid arguments for tool [^:]+: ([\s\S]*)$/.exec(
      errorMessage,
    );
  if (!validation?.[1]) return { isError: true, content: [{ type: 'text', text: errorMessage }] };
  // "is required: … at prompt" → "prompt is required: …", one line per problem.
  const lines = validation[1].split('\n').map((line) => {
    const at = / at ([\w.[\]]+)$/.exec(line);
    return at ? `${at[1]}: ${line.slice(0, at.index)}` : line;
  });
  return errorResult(new MatryoshkaError('INVALID_REQUEST', lines.join('\n')));
}

function withoutNullArguments<T>(message: T): T {
  const m = message as { method?: unknown; params?: { arguments?: unknown } };
  if (m?.method !== 'tools/call' || m.params?.arguments !== null) return message;
  const { arguments: _null, ...params } = m.params;
  return { ...m, params } as T;
}
