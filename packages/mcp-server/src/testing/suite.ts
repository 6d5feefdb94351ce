import type { Engine } from '@matryoshka/core';
import { afterAll, beforeAll } from 'vitest';
import type { ServerConfig } from '../config.js';
import { temporaryDir } from './fixtures.js';
import { type Connected, connectInMemory, fixtureEngine } from './in-memory.js';

export interface EngineHolder {
  /** Set before the first test of the file (or describe block) that called useEngine. */
  engine: Engine;
}

/**
 * One engine for the whole file or describe block, closed after its last test: opening the ONNX
 * session is the slow part, so tests share it.
 */
export function useEngine(make: () => Engine = fixtureEngine): EngineHolder {
  const holder = {} as EngineHolder;
  beforeAll(() => {
    holder.engine = make();
  });
  afterAll(() => holder.engine?.close());
  return holder;
}

export interface InMemorySuite extends EngineHolder {
  /** The server's output folder, removed after the last test. */
  out: Awaited<ReturnType<typeof temporaryDir>>;
  session: Connected;
}

/** useEngine plus one in-memory client session, writing into a fresh temporary folder. */
export function useInMemorySession(
  prefix: string,
  options: { engine?: () => Engine; config?: Partial<ServerConfig> } = {},
): InMemorySuite {
  const suite = useEngine(options.engine) as InMemorySuite;
  beforeAll(async () => {
    suite.out = await temporaryDir(prefix);
    suite.session = await connectInMemory(suite.engine, { outputDir: suite.out.dir, ...options.config });
  });
  afterAll(async () => {
    await suite.session?.close();
    await suite.out?.remove();
  });
  return suite;
}
