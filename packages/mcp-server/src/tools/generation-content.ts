import { describeInterpretation, type GenerateResult, MatryoshkaError } from '@matryoshka/core';
import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import type { ServerConfig } from '../config.js';
import { makeThumbnail } from '../thumbnail.js';
import type { SavedImage } from './run-generation.js';

/**
 * Sizes the answer for real clients: a short text, per image a small inline thumbnail (while the
 * byte budget lasts) and a resource_link to the full file, plus structuredContent for programs.
 * A picture larger than the thumbnail never travels inline: clients cap tool results (Claude Code
 * near 25k tokens, Claude Desktop about 1 MB) and several drop image blocks altogether.
 */
export async function buildGenerationContent(
  result: GenerateResult,
  saved: SavedImage[],
  outputDir: string,
  config: ServerConfig,
): Promise<CallToolResult> {
  const first = saved[0];
  if (!first) throw new MatryoshkaError('RUNTIME_ERROR', 'the engine returned no images');
  const content: ContentBlock[] = [{ type: 'text', text: summary(result, saved) }];
  let budget = config.maxInlineBytes;
  const skipped: number[] = [];
  for (const [index, file] of saved.entries()) {
    const image = result.images[index];
    // One preview per clip saved as png-frames (its first frame), per icon set its sheet.
    const shown = image?.name === undefined ? (file.frameIndex ?? 0) === 0 : image.name === 'sheet.png';
    if (config.thumbnailSize > 0 && image && shown) {
      const thumbnail = await makeThumbnail(image, config.thumbnailSize, config.thumbnailFormat);
      if (thumbnail.data.byteLength <= budget) {
        budget -= thumbnail.data.byteLength;
        content.push({
          type: 'image',
          data: Buffer.from(thumbnail.data).toString('base64'),
          mimeType: thumbnail.mimeType,
        });
      } else {
        skipped.push(index + 1);
      }
    }
    content.push({
      type: 'resource_link',
      uri: file.uri,
      name: file.name,
      mimeType: file.mimeType,
      size: file.bytes,
      description: `${file.width}×${file.height}, seed ${file.seed}, saved at ${file.path}`,
    });
  }
  if (skipped.length > 0) {
    content.push({
      type: 'text',
      text: `Inline previews of image(s) ${skipped.join(', ')} were left out to keep this result small; open the linked files instead.`,
    });
  }
  return {
    content,
    structuredContent: {
      path: first.path,
      uri: first.uri,
      seed: first.seed,
      model: result.model,
      // SavedImage holds exactly the output schema's fields, optional ones only when set.
      images: saved.map((file) => ({ ...file })),
      parameters: result.request,
      interpretation: result.interpretation,
      timings: result.timings,
      warnings: result.warnings,
      outputDir,
    },
  };
}

function summary(result: GenerateResult, saved: SavedImage[]): string {
  const r = result.request;
  const first = saved[0];
  const noun = r.kind === 'clip' ? 'clip' : r.kind === 'icons' ? 'icon set' : 'image';
  const what = r.count === 1 ? `1 ${noun}` : `${r.count} ${noun}s`;
  const shape = first ? `${first.width}×${first.height}` : '';
  const motion = r.kind === 'clip' ? `, ${r.frames} frames at ${r.fps} fps` : '';
  const lines = [
    `Generated ${what} with ${result.model} (${shape}${motion}, seed ${r.seed}, ${r.steps} ${r.sampler} steps, guidance ${r.guidance}) in ${(result.timings.totalMs / 1000).toFixed(2)} s.`,
    ...saved.map((file) => `Saved: ${file.path}`),
    ...[describeInterpretation(result.interpretation)]
      .filter((l) => l !== undefined)
      .map((l) => `Prompt ${l}.`),
    ...result.warnings.map((warning) => `Warning: ${warning.message}`),
  ];
  return lines.join('\n');
}
