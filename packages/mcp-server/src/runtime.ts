import type { Engine } from '@matryoshka/core';
import { DEFAULT_CONFIG, type ServerConfig } from './config.js';
import { type Logger, silentLogger } from './log.js';

/**
 * What all client sessions share: one engine (ONNX sessions are expensive; it also owns the one
 * queue, since the CPU is one resource however many clients connect), one configuration.
 */
export interface Runtime {
  engine: Engine;
  config: ServerConfig;
  log: Logger;
  /** Aborted when the server shuts down, so running generations stop instead of delaying the exit. */
  shutdown: AbortController;
}

export function createRuntime(
  engine: Engine,
  config: Partial<ServerConfig> = {},
  log: Logger = silentLogger,
): Runtime {
  const full: ServerConfig = { ...DEFAULT_CONFIG, ...stripUndefined(config) };
  return {
    engine,
    config: full,
    log,
    shutdown: new AbortController(),
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
