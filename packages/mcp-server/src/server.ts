import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { OutputFolder } from './output-folder.js';
import { registerOutputResources } from './resources.js';
import type { Runtime } from './runtime.js';
import { registerGenerateClip } from './tools/generate-clip.js';
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
  const server = new McpServer(
    { name: 'matryoshka', title: 'Matryoshka Diffusion', version: VERSION },
    { instructions: INSTRUCTIONS, capabilities: { tools: {}, resources: {} } },
  );
  const folder = new OutputFolder(server.server, runtime.config.outputDir, runtime.log);
  registerGenerateImage(server, runtime, folder);
  registerGenerateClip(server, runtime, folder);
  registerListModels(server, runtime);
  registerIllustrateDeck(server, runtime, folder);
  registerOutputResources(server, folder);
  return server;
}
