import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const INDEX = fileURLToPath(new URL('./index.ts', import.meta.url));

// A fresh Node process (vitest's own workers load both packages), asked which native libraries it
// has mapped: ONNX Runtime and libvips are what make a cold start slow.
const PROBE = `
const native = () => {
  const objects = process.report.getReport().sharedObjects.join('\\n');
  return ['onnxruntime', 'vips'].filter((name) => objects.includes(name));
};
await import(process.argv[1]);
const atImport = native();
await import('onnxruntime-node');
await import('sharp');
console.log(JSON.stringify({ atImport, afterUse: native() }));
`;

describe('importing @matryoshka/core', () => {
  it('loads neither ONNX Runtime nor sharp (libvips) until an engine needs them', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', PROBE, INDEX],
      { encoding: 'utf8' },
    );
    const { atImport, afterUse } = JSON.parse(out) as { atImport: string[]; afterUse: string[] };
    expect(atImport).toEqual([]);
    // The probe itself works: the same check sees both once they are loaded.
    expect(afterUse).toEqual(['onnxruntime', 'vips']);
  });
});
