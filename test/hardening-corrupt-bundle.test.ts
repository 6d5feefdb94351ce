import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, MatryoshkaError } from '@matryoshka/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/tiny-bundle/', import.meta.url));
const ID = 'tiny-bundle';

type Damage = 'truncate' | 'flip' | 'delete' | 'empty';
const DAMAGE: Damage[] = ['truncate', 'flip', 'delete', 'empty'];

let root: string;
let files: string[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'corrupt-bundle-'));
  files = (await readdir(FIXTURE)).sort();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh copy of the fixture bundle in its own models folder. */
async function copyBundle(name: string): Promise<string> {
  const modelsDir = join(root, name);
  await cp(FIXTURE, join(modelsDir, ID), { recursive: true });
  return modelsDir;
}

async function damage(path: string, kind: Damage): Promise<void> {
  if (kind === 'delete') return unlink(path);
  if (kind === 'empty') return truncate(path, 0);
  const bytes = await readFile(path);
  if (kind === 'truncate') return truncate(path, Math.floor(bytes.length / 2));
  // The first byte: for JSON that breaks the syntax, for anything else the checksum catches it.
  bytes[0] = (bytes[0] as number) ^ 0x5a;
  return writeFile(path, bytes);
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    out[name] = createHash('sha256')
      .update(await readFile(join(dir, name)))
      .digest('hex');
  }
  return out;
}

async function failure(modelsDir: string): Promise<MatryoshkaError> {
  const engine = createEngine({ modelsDir, defaultModel: ID, threads: 1 });
  try {
    const started = performance.now();
    const error = await engine.generate({ prompt: 'a red apple', steps: 1, seed: 1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    // A damaged bundle is found out while loading, not after minutes of work.
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(MatryoshkaError.isInstance(error), `expected a MatryoshkaError, got ${String(error)}`).toBe(true);
    return error as MatryoshkaError;
  } finally {
    await engine.close();
  }
}

describe('damaged model bundles: every file × truncate / flip a byte / delete / empty', () => {
  it('each is a MODEL_CORRUPT (or MODEL_NOT_FOUND without a manifest) naming the file, and nothing is written', async () => {
    const seen: string[] = [];
    for (const file of files) {
      for (const kind of DAMAGE) {
        const modelsDir = await copyBundle(`${file}-${kind}`);
        const bundleDir = join(modelsDir, ID);
        await damage(join(bundleDir, file), kind);
        const before = await snapshot(bundleDir);
        const error = await failure(modelsDir);
        const expected = file === 'manifest.json' && kind === 'delete' ? 'MODEL_NOT_FOUND' : 'MODEL_CORRUPT';
        expect(error.code, `${file} ${kind}: ${error.message}`).toBe(expected);
        expect(error.message, `${file} ${kind}`).toContain(file);
        // The engine only reads: the damaged bundle is exactly as it was left.
        expect(await snapshot(bundleDir)).toEqual(before);
        seen.push(`${file}/${kind}: ${error.code}`);
      }
    }
    expect(seen).toHaveLength(files.length * DAMAGE.length);
    console.info(`corrupt bundles: ${seen.length} cases, all clear errors`);
  });

  it('a damaged model.onnx with a manifest re-hashed to match still fails as MODEL_CORRUPT from ONNX Runtime', async () => {
    for (const kind of ['truncate', 'flip', 'garbage'] as const) {
      const modelsDir = await copyBundle(`rehash-${kind}`);
      const bundleDir = join(modelsDir, ID);
      const onnx = join(bundleDir, 'model.onnx');
      if (kind === 'garbage') await writeFile(onnx, Buffer.from('this is not a protobuf at all'.repeat(100)));
      else await damage(onnx, kind);
      // Someone "fixed" the checksums: only ONNX Runtime can tell now.
      const manifestPath = join(bundleDir, 'manifest.json');
      const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
      const bytes = await readFile(onnx);
      manifest.files['model.onnx'] = {
        sha256: createHash('sha256').update(bytes).digest('hex'),
        bytes: bytes.length,
      };
      await writeFile(manifestPath, JSON.stringify(manifest));
      const error = await failure(modelsDir);
      // A flipped first byte can still parse as a protobuf; then the graph's checks must catch it.
      expect(['MODEL_CORRUPT', 'RUNTIME_ERROR'], `${kind}: ${error.message}`).toContain(error.code);
      expect(error.message).toContain('model.onnx');
    }
  });

  it('a failed load is not cached: repairing the files makes the same engine work', async () => {
    const modelsDir = await copyBundle('repair');
    const onnx = join(modelsDir, ID, 'model.onnx');
    await damage(onnx, 'truncate');
    const engine = createEngine({ modelsDir, defaultModel: ID, threads: 1 });
    try {
      const first = await engine.generate({ prompt: 'a', steps: 1, seed: 1 }).catch((e: unknown) => e);
      expect((first as MatryoshkaError).code).toBe('MODEL_CORRUPT');
      await cp(join(FIXTURE, 'model.onnx'), onnx);
      const result = await engine.generate({ prompt: 'a', steps: 1, seed: 1 });
      expect(result.images).toHaveLength(1);
    } finally {
      await engine.close();
    }
  });
});
