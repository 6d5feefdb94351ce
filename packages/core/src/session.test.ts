import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from './bundle.js';
import { decodeTensor, type EncodedTensor, readFixture, TINY_BUNDLE_DIR } from './fixtures.test-support.js';
import { ModelSession } from './session.js';

interface StepFixture {
  bundle: string;
  tolerance: number;
  inputs: Record<string, EncodedTensor>;
  outputs: Record<string, EncodedTensor>;
}

const step = readFixture<StepFixture>('parity/step.json');

describe.skipIf(!step)('ONNX Runtime against PyTorch (test/fixtures/parity/step.json)', () => {
  let session: ModelSession;
  beforeAll(async () => {
    session = await ModelSession.open(await readBundle(TINY_BUNDLE_DIR, 'tiny-bundle'), 1);
  });
  afterAll(() => session?.release());

  it('reproduces every level output within the fixture tolerance', async () => {
    const fixture = step as StepFixture;
    const input = (name: string) => decodeTensor(fixture.inputs[name] as EncodedTensor);
    const batch = (fixture.inputs.t as EncodedTensor).shape[0] as number;
    const outputs = await session.forward({
      batch,
      levels: ['x_64', 'x_32', 'x_16'].map((n) => input(n) as Float32Array),
      t: input('t') as Float32Array,
      tokens: input('tokens') as BigInt64Array,
      ngrams: input('ngrams') as BigInt64Array,
    });
    ['v_64', 'v_32', 'v_16'].forEach((name, i) => {
      const expected = decodeTensor(fixture.outputs[name] as EncodedTensor) as Float32Array;
      const actual = outputs[i] as Float32Array;
      expect(actual.length).toBe(expected.length);
      let worst = 0;
      for (let k = 0; k < actual.length; k++)
        worst = Math.max(worst, Math.abs((actual[k] as number) - (expected[k] as number)));
      expect(worst, name).toBeLessThanOrEqual(Math.min(fixture.tolerance, 1e-4));
    });
  });
});
