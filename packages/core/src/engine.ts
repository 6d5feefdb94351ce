import type { Engine, EngineOptions } from './engine-types.js';
import { MatryoshkaError } from './errors.js';
import { parseRequest } from './parse-request.js';

export function createEngine(_options: EngineOptions = {}): Engine {
  return {
    async generate(request) {
      parseRequest(request);
      throw new MatryoshkaError('RUNTIME_ERROR', 'generate() is not implemented yet');
    },
    async listModels() {
      return [];
    },
    async close() {},
  };
}
