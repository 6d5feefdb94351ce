import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MatryoshkaError } from '../packages/core/src/index.js';

// The published package, as `npm run build -w packages/core` leaves it (npm test builds first).
const dist = fileURLToPath(new URL('../packages/core/dist/', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const built = existsSync(`${dist}index.js`) && existsSync(`${dist}index.cjs`);

type CoreModule = typeof import('../packages/core/src/index.js');

describe.skipIf(!built)(
  '@matryoshka/core build output (skipped until `npm run build -w packages/core`)',
  () => {
    it('generates the same bytes from the ESM build, the CJS build and the sources', async () => {
      const esm = (await import(`${dist}index.js`)) as CoreModule;
      const cjs = createRequire(import.meta.url)(`${dist}index.cjs`) as CoreModule;
      const source = await import('../packages/core/src/index.js');
      const request = { prompt: 'a red apple', seed: 5, steps: 3, model: 'tiny-bundle' };
      const outputs: Buffer[] = [];
      for (const core of [esm, cjs, source]) {
        const engine = core.createEngine({ modelsDir: fixtures, threads: 1 });
        try {
          const result = await engine.generate(request);
          outputs.push(Buffer.from(result.images[0]?.bytes as Uint8Array));
          expect(core.readPngText(result.images[0]?.bytes as Uint8Array)['matryoshka:seed']).toBe('5');
        } finally {
          await engine.close();
        }
      }
      expect(outputs[0]?.equals(outputs[1] as Buffer)).toBe(true);
      expect(outputs[0]?.equals(outputs[2] as Buffer)).toBe(true);
    });

    it('recognises errors thrown by another copy of the package', async () => {
      const cjs = createRequire(import.meta.url)(`${dist}index.cjs`) as CoreModule;
      const engine = cjs.createEngine({ modelsDir: fixtures });
      let caught: unknown;
      try {
        await engine.generate({ prompt: 'x', steps: 0 });
      } catch (error) {
        caught = error;
      }
      expect(caught).not.toBeInstanceOf(MatryoshkaError);
      expect(MatryoshkaError.isInstance(caught)).toBe(true);
      expect((caught as MatryoshkaError).code).toBe('INVALID_REQUEST');
    });
  },
);
