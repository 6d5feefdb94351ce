import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { useInMemorySession } from './testing/suite.js';

const suite = useInMemorySession('mcp-messages');

const callRaw = (args: unknown) =>
  suite.session.client.request(
    { method: 'tools/call', params: { name: 'generate_image', arguments: args } } as never,
    CallToolResultSchema,
  );
const text = (r: { content: unknown[] }) => (r.content[0] as { text: string }).text;

describe('messages a model can act on', () => {
  it('a missing prompt says it is required', async () => {
    const result = await callRaw({});
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^INVALID_REQUEST: prompt: is required/);
  });

  it('an over-long prompt gives its length and the limit', async () => {
    const result = await callRaw({ prompt: 'x'.repeat(2345) });
    expect(text(result)).toBe('INVALID_REQUEST: prompt: is 2345 characters long; the limit is 2000');
  });

  it('arguments: null gets the same readable isError, not a protocol error or a schema dump', async () => {
    const result = await callRaw(null);
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^INVALID_REQUEST: prompt: is required/);
  });

  it('resources/read: one "not found" code for every unknown URI, and no doubled prefix', async () => {
    for (const uri of [
      'matryoshka://output/nope.png',
      'matryoshka://output/..%2Fsecret.png',
      'file:///etc/passwd',
    ]) {
      const error = (await suite.session.client.readResource({ uri }).catch((e: unknown) => e)) as {
        code: number;
        message: string;
      };
      expect(error.code, uri).toBe(-32002);
      expect(error.message.match(/MCP error/g), uri).toHaveLength(1);
    }
  });
});
