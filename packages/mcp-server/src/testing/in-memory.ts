import { createEngine, type Engine } from '@matryoshka/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ServerConfig } from '../config.js';
import { createRuntime, type Runtime } from '../runtime.js';
import { createMatryoshkaServer } from '../server.js';
import { FIXTURES_DIR, TINY_MODEL } from './fixtures.js';

export interface Connected {
  client: Client;
  runtime: Runtime;
  close(): Promise<void>;
}

/** One engine per test file: loading the ONNX session is the slow part. */
export function fixtureEngine(): Engine {
  return createEngine({ modelsDir: FIXTURES_DIR, defaultModel: TINY_MODEL, threads: 1 });
}

/**
 * A real SDK client talking to a real server over the SDK's in-memory transport pair: every request
 * goes through the same JSON-RPC handling, validation and serialisation as over stdio.
 */
export async function connectInMemory(
  engine: Engine,
  config: Partial<ServerConfig>,
  options: { roots?: string[] } = {},
): Promise<Connected> {
  const runtime = createRuntime(engine, config);
  const server = createMatryoshkaServer(runtime);
  const client = new Client(
    { name: 'test-client', version: '1.0.0' },
    options.roots ? { capabilities: { roots: { listChanged: true } } } : {},
  );
  if (options.roots) {
    const roots = options.roots;
    client.setRequestHandler(ListRootsRequestSchema, async () => ({
      roots: roots.map((uri, i) => ({ uri, name: `root ${i}` })),
    }));
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    client,
    runtime,
    async close() {
      await client.close();
      await server.close();
    },
  };
}
