import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Runtime } from '../runtime.js';
import { errorResult } from '../tool-error.js';

const ModelSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  task: z.enum(['image', 'clip']),
  nativeResolution: z.number().int(),
  levels: z.array(z.number().int()),
  license: z.string(),
  bytesOnDisk: z.number().int(),
  fixture: z.boolean().describe('A random-weight test bundle: it draws noise'),
  defaults: z.object({ steps: z.number().int(), guidance: z.number(), sampler: z.string() }),
});

export function registerListModels(server: McpServer, runtime: Runtime): void {
  server.registerTool(
    'list_models',
    {
      title: 'List models',
      description:
        'Lists the locally installed Matryoshka models: id (pass it as "model"), task (image or clip), native resolution, license and default settings.',
      inputSchema: z.strictObject({}),
      outputSchema: {
        models: z.array(ModelSchema),
        skipped: z
          .array(z.object({ dir: z.string(), code: z.string(), reason: z.string() }))
          .describe('Bundle folders that could not be used (damaged download, newer format), and why'),
      },
      annotations: { title: 'List models', readOnlyHint: true, openWorldHint: false },
    },
    async () => {
      try {
        const scan = await runtime.engine.scanModels();
        const models = scan.models.map(
          ({
            id,
            name,
            description,
            task,
            nativeResolution,
            levels,
            license,
            bytesOnDisk,
            fixture,
            defaults,
          }) => ({
            id,
            name,
            description,
            task,
            nativeResolution,
            levels,
            license,
            bytesOnDisk,
            fixture,
            defaults,
          }),
        );
        const lines = models.map(
          (m) =>
            `- ${m.id} (${m.task}, ${m.nativeResolution}px, ${m.license}${m.fixture ? ', test fixture: draws noise' : ''}): ${m.name}`,
        );
        const skipped = scan.skipped.map(({ dir, code, reason }) => ({ dir, code, reason }));
        let text = models.length === 0 ? 'No models installed.' : `Installed models:\n${lines.join('\n')}`;
        if (skipped.length > 0) {
          text += `\nSkipped (not usable):\n${skipped.map((s) => `- ${s.dir}: ${s.code}: ${s.reason}`).join('\n')}`;
        }
        return { content: [{ type: 'text', text }], structuredContent: { models, skipped } };
      } catch (error) {
        return errorResult(error);
      }
    },
  );
}
