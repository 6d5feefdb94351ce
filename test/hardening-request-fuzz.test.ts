import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, GenerateRequestSchema, MatryoshkaError, parseRequest } from '@matryoshka/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_FIELDS } from './hardening-request-fields.js';

/** Anything a caller could pass for one field: wrong types, edge numbers, huge and odd strings. */
const hostileValue = fc.oneof(
  fc.anything({
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withNullPrototype: true,
  }),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
  ),
  fc.constantFrom(2 ** 32, 2 ** 53, -(2 ** 31), 1e308, -1, 0.5, 1e-300),
  fc.integer(),
  fc.double(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
  // Huge strings: far over the prompt limit, as a pasted document would be (a few distinct sizes:
  // building megabyte strings thousands of times would only time the generator).
  fc.constantFrom(2_001, 65_536, 1_000_000).map((n) => 'x'.repeat(n)),
  fc.constantFrom('\u0000', '\uD800', '🍎'.repeat(3000), '../../etc/passwd', '__proto__', 'constructor'),
);

/** A valid value for each field, so that mutated requests are often valid or one field off. */
const validValue: Record<string, fc.Arbitrary<unknown>> = {
  prompt: fc.string({ maxLength: 80 }),
  negativePrompt: fc.string({ maxLength: 40 }),
  model: fc.constantFrom('emoji-64', 'tiny-bundle'),
  width: fc.integer({ min: 8, max: 2048 }),
  height: fc.integer({ min: 8, max: 2048 }),
  steps: fc.integer({ min: 1, max: 1000 }),
  guidance: fc.double({ min: 0, max: 50, noNaN: true }),
  seed: fc.integer({ min: 0, max: 0xffffffff }),
  sampler: fc.constantFrom('ddpm', 'ddim', 'dpmpp-2m'),
  count: fc.integer({ min: 1, max: 16 }),
  format: fc.constantFrom('png', 'webp', 'jpeg', 'avif'),
  preview: fc.boolean(),
};
const fieldValue = (field: string) =>
  validValue[field]
    ? fc.oneof({ weight: 4, arbitrary: validValue[field] }, { weight: 1, arbitrary: hostileValue })
    : hostileValue;
const mostlyValid = fc.record(
  Object.fromEntries(['prompt', ...Object.keys(validValue)].map((k) => [k, fieldValue(k)])),
  { requiredKeys: [] },
);

/** Request-shaped objects: known fields with hostile values, plus unknown and prototype keys. */
const hostileRequest = fc
  .tuple(
    fc.oneof(mostlyValid, fc.dictionary(fc.constantFrom(...REQUEST_FIELDS), hostileValue, { maxKeys: 8 })),
    fc.option(
      fc.dictionary(
        fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'toString')),
        hostileValue,
        {
          maxKeys: 3,
        },
      ),
      { nil: {}, freq: 1 },
    ),
    fc.option(fc.constantFrom('image', 'clip'), { nil: undefined }),
  )
  .map(([known, unknown, kind]) => ({ ...unknown, ...known, ...(kind ? { kind } : {}) }))
  .map((request) =>
    'prompt' in request || Math.random() < 0.1 ? request : { prompt: 'a red apple', ...request },
  );

/** Inputs fast-check does not build: cycles, throwing getters and proxies, symbol keys. */
function craftedInputs(): unknown[] {
  const cyclic: Record<string, unknown> = { prompt: 'a' };
  cyclic.self = cyclic;
  const cyclicPrompt: Record<string, unknown> = {};
  cyclicPrompt.prompt = cyclicPrompt;
  const throwingGetter = Object.defineProperty({}, 'prompt', {
    enumerable: true,
    get() {
      throw new Error('getter exploded');
    },
  });
  const throwingProxy = new Proxy(
    {},
    {
      get() {
        throw new Error('proxy get exploded');
      },
      ownKeys() {
        throw new Error('proxy ownKeys exploded');
      },
      getOwnPropertyDescriptor() {
        throw new Error('proxy descriptor exploded');
      },
    },
  );
  return [
    cyclic,
    cyclicPrompt,
    throwingGetter,
    throwingProxy,
    { prompt: 'a', [Symbol('s')]: 1 },
    {
      prompt: 'a',
      toJSON: () => {
        throw new Error('toJSON exploded');
      },
    },
    Object.create(null),
    JSON.parse('{"prompt":"a","__proto__":{"steps":5}}'),
    { prompt: { toString: () => 'a red apple' } },
    { prompt: 'a', steps: 10n },
    { prompt: 'a', steps: '20' },
    { prompt: 'a', count: 17 },
    new Date(),
    () => ({ prompt: 'a' }),
    Symbol('request'),
    [],
    [{ prompt: 'a' }],
    'a red apple',
    null,
    undefined,
  ];
}

/** The one acceptable failure: a MatryoshkaError INVALID_REQUEST with a readable message. */
function expectInvalidRequest(error: unknown): void {
  expect(MatryoshkaError.isInstance(error), `not a MatryoshkaError: ${String(error)}`).toBe(true);
  const e = error as MatryoshkaError;
  expect(e.code).toBe('INVALID_REQUEST');
  expect(e.message.length).toBeGreaterThan(0);
  // A message is for people: bounded even when the input is megabytes.
  expect(e.message.length).toBeLessThan(20_000);
}

let parsedOk = 0;
let rejected = 0;

describe('request schema fuzzing (fast-check)', () => {
  it('parseRequest: 5,000 random request-shaped objects either parse or fail as INVALID_REQUEST', () => {
    fc.assert(
      fc.property(hostileRequest, (request) => {
        try {
          const parsed = parseRequest(request);
          parsedOk++;
          // Whatever parses must satisfy the published schema too (no second opinion disagrees).
          expect(GenerateRequestSchema.safeParse(request).success).toBe(true);
          expect(['image', 'clip']).toContain(parsed.kind);
        } catch (error) {
          rejected++;
          expectInvalidRequest(error);
        }
      }),
      { numRuns: 5_000, seed: 0x9a71 },
    );
    // The generator must reach both outcomes, or the property tests nothing.
    expect(parsedOk).toBeGreaterThan(20);
    expect(rejected).toBeGreaterThan(2_000);
  });

  it('parseRequest: 3,000 arbitrary values of any type', () => {
    fc.assert(
      fc.property(hostileValue, (value) => {
        try {
          parseRequest(value);
        } catch (error) {
          expectInvalidRequest(error);
        }
      }),
      { numRuns: 3_000, seed: 0x51 },
    );
  });

  it('parseRequest: cycles, throwing getters and proxies, symbols, functions, BigInt', () => {
    for (const input of craftedInputs()) {
      try {
        parseRequest(input);
      } catch (error) {
        expectInvalidRequest(error);
      }
    }
  });
});

describe('engine.generate with hostile requests', () => {
  let empty: string;
  beforeAll(async () => {
    empty = await mkdtemp(join(tmpdir(), 'fuzz-models-'));
  });
  afterAll(async () => {
    await rm(empty, { recursive: true, force: true });
  });

  it('rejects (never throws synchronously) with INVALID_REQUEST, or MODEL_NOT_FOUND once the request is valid', async () => {
    // An empty models folder: a valid request gets as far as model lookup and stops, cheaply.
    const engine = createEngine({ modelsDir: empty });
    let valid = 0;
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (request) => {
        let isValid = true;
        try {
          parseRequest(request);
        } catch {
          isValid = false;
        }
        let pending: Promise<unknown>;
        try {
          pending = engine.generate(request as never);
        } catch (error) {
          throw new Error(`generate threw synchronously: ${String(error)}`);
        }
        const error = await pending.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(MatryoshkaError.isInstance(error)).toBe(true);
        const code = (error as MatryoshkaError).code;
        if (isValid) {
          valid++;
          // A valid clip request meets "no clip model" before the model lookup.
          expect(['MODEL_NOT_FOUND', 'MODEL_UNSUPPORTED']).toContain(code);
        } else expect(code).toBe('INVALID_REQUEST');
      }),
      { numRuns: 2_000, seed: 0xbad },
    );
    for (const input of craftedInputs()) {
      const error = await engine.generate(input as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(MatryoshkaError.isInstance(error), String(error)).toBe(true);
      expect(['INVALID_REQUEST', 'MODEL_NOT_FOUND', 'MODEL_UNSUPPORTED']).toContain(
        (error as MatryoshkaError).code,
      );
    }
    expect(valid).toBeGreaterThan(10);
    await engine.close();
  });
});
