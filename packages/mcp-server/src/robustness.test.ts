import { ERROR_CODES } from '@matryoshka/core';
import { type CallToolResult, CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useInMemorySession } from './testing/suite.js';

const suite = useInMemorySession('mcp-fuzz');

// Each field is either junk of any type or a small valid value, so runs mix rejections with real
// (cheap) generations.
const junk = fc.oneof(fc.anything(), fc.string(), fc.integer(), fc.double(), fc.constant(null));
const maybe = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: junk, weight: 1 });
const args = fc.record(
  {
    prompt: maybe(fc.string({ maxLength: 40 })),
    negativePrompt: maybe(fc.string({ maxLength: 10 })),
    steps: maybe(fc.integer({ min: 1, max: 2 })),
    seed: maybe(fc.integer({ min: 0, max: 2 ** 32 - 1 })),
    count: maybe(fc.integer({ min: 1, max: 2 })),
    width: maybe(fc.constantFrom(16, 32, 64)),
    sampler: maybe(fc.constantFrom('ddpm', 'ddim', 'dpmpp-2m')),
    format: maybe(fc.constantFrom('png', 'webp', 'jpeg')),
    name: maybe(fc.string({ maxLength: 30 })),
  },
  { requiredKeys: [] },
);
const withStray = fc.oneof(
  { arbitrary: args, weight: 4 },
  {
    arbitrary: fc.tuple(args, fc.string(), junk).map(([a, key, value]) => ({ ...a, [key]: value })),
    weight: 1,
  },
);

// Engine failures carry their code; arguments the schema refuses are answered by the SDK itself.
const PREFIXES = [...ERROR_CODES.map((code) => `${code}: `), 'MCP error -32602: Input validation error'];

describe('arbitrary arguments', () => {
  it('always get a well-formed answer: a result, or an isError naming the problem', async () => {
    let generated = 0;
    await fc.assert(
      fc.asyncProperty(withStray, async (input) => {
        const result = (await suite.session.client.callTool(
          { name: 'generate_image', arguments: input as Record<string, unknown> },
          CallToolResultSchema,
        )) as CallToolResult;
        const text = result.content.find((c) => c.type === 'text');
        expect(text?.type).toBe('text');
        if (result.isError) {
          expect(PREFIXES.some((p) => (text as { text: string }).text.startsWith(p))).toBe(true);
        } else {
          expect(result.structuredContent).toMatchObject({ path: expect.stringContaining(suite.out.dir) });
          generated++;
        }
      }),
      { numRuns: 60 },
    );
    // The property means little unless real generations were among the runs.
    expect(generated).toBeGreaterThanOrEqual(3);
    const after = await suite.session.client.callTool({ name: 'list_models', arguments: {} });
    expect(after.isError).toBeFalsy();
  });
});
