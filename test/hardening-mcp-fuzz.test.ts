import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startMcpHttpServer } from './hardening-mcp-server-process.js';
import { REQUEST_FIELDS } from './hardening-request-fields.js';

let server: ServerProcess;
let client: Client;
let dirs: string[];

beforeAll(async () => {
  // No models: a valid request stops at the model lookup, so fuzzing never starts a long generation.
  dirs = await Promise.all([
    mkdtemp(join(tmpdir(), 'mcp-fuzz-models-')),
    mkdtemp(join(tmpdir(), 'mcp-fuzz-out-')),
  ]);
  server = await startMcpHttpServer(dirs[1] as string, { dir: dirs[0] as string });
  client = new Client({ name: 'fuzz', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
});
afterAll(async () => {
  await client?.close();
  await server?.stop();
  await Promise.all((dirs ?? []).map((d) => rm(d, { recursive: true, force: true })));
});

const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    -1,
    0,
    1e308,
    -1e308,
    2 ** 53,
    0.5,
    '',
    ' ',
    '\u0000',
    '../x',
    'x'.repeat(5000),
    null,
    true,
    [],
    {},
  ),
);
// The tool chooses the kind; `name` is the tools' own field and `extra` one they do not know.
const KEYS = [...REQUEST_FIELDS.filter((k) => k !== 'kind'), 'name', 'extra'];
const anyArguments = fc.dictionary(fc.constantFrom(...KEYS), hostile, { maxKeys: 6 });
/** Valid shapes with a hostile file name or one odd field: these reach the engine and the store. */
const nearlyValid = fc
  .record(
    {
      prompt: fc.string({ maxLength: 40 }),
      steps: fc.integer({ min: 1, max: 50 }),
      seed: fc.integer({ min: 0, max: 0xffffffff }),
      sampler: fc.constantFrom('ddpm', 'ddim', 'dpmpp-2m'),
      name: fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('../../x', '/etc/passwd', 'CON', '.')),
    },
    { requiredKeys: ['prompt'] },
  )
  .chain((base) =>
    fc
      .option(fc.tuple(fc.constantFrom(...KEYS), hostile), { nil: undefined, freq: 2 })
      .map((odd) => (odd ? { ...base, [odd[0]]: odd[1] } : base)),
  );
const argumentsArb = fc.oneof({ weight: 1, arbitrary: anyArguments }, { weight: 3, arbitrary: nearlyValid });

describe('MCP tool arguments fuzzing (fast-check, real server process)', () => {
  it('generate_image and generate_clip answer every random argument object with a result or a protocol error; the server stays healthy', async () => {
    const outcomes = { invalidParams: 0, toolError: 0, ok: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('generate_image', 'generate_clip'),
        argumentsArb,
        async (name, args) => {
          const outcome = await client
            .callTool({ name, arguments: args }, CallToolResultSchema, { timeout: 30_000 })
            .then(
              (r) => r as CallToolResult,
              (e: unknown) => e as { code?: number; message?: string },
            );
          if ('content' in outcome) {
            if (outcome.isError) {
              const text = (outcome.content[0] as { text: string }).text;
              // Either input validation (the schema's or the engine's, as INVALID_REQUEST) or
              // another MatryoshkaError code the model can act on; never an internal error.
              if (text.startsWith('INVALID_REQUEST: ')) outcomes.invalidParams++;
              else {
                expect(text).toMatch(/^[A-Z_]+: /);
                expect(text).not.toMatch(/^RUNTIME_ERROR/);
                outcomes.toolError++;
              }
            } else outcomes.ok++;
          } else {
            // A protocol error must be "invalid params" (-32602), never an internal error (-32603).
            expect(outcome.code, outcome.message).toBe(-32602);
            outcomes.invalidParams++;
          }
        },
      ),
      { numRuns: 600, seed: 0x3c9 },
    );
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('generate_image');
    expect(server.stderr()).not.toMatch(/unhandled rejection|HTTP \w+ \S+ failed/);
    expect(outcomes.invalidParams).toBeGreaterThan(100);
    // Enough calls must get past validation to the engine, or only the SDK's schema check was fuzzed.
    expect(outcomes.toolError).toBeGreaterThan(100);
    console.info(
      `MCP fuzz: 600 calls → ${outcomes.invalidParams} input-validation errors, ${outcomes.toolError} tool errors, ${outcomes.ok} ok; server RSS ${server.memoryMB().rss.toFixed(0)} MB`,
    );
  }, 180_000);
});
