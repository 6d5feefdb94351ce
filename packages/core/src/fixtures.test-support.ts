import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MatryoshkaError } from './errors.js';

/** test/fixtures at the repository root (shared with the Python side). */
export const FIXTURES_DIR = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));
export const TINY_BUNDLE_DIR = `${FIXTURES_DIR}tiny-bundle`;

/** Reads a shared fixture, or undefined while the Python side has not written it yet. */
export function readFixture<T>(relativePath: string): T | undefined {
  const path = `${FIXTURES_DIR}${relativePath}`;
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

export interface EncodedTensor {
  dtype: 'float32' | 'int64' | 'uint8';
  shape: number[];
  base64: string;
}

/** Decodes a little-endian base64 tensor of the parity fixtures. */
export function decodeTensor(tensor: EncodedTensor): Float32Array | BigInt64Array | Uint8Array {
  const bytes = Buffer.from(tensor.base64, 'base64');
  const copy = new Uint8Array(bytes).buffer;
  if (tensor.dtype === 'float32') return new Float32Array(copy);
  if (tensor.dtype === 'int64') return new BigInt64Array(copy);
  return new Uint8Array(copy);
}

/** The MatryoshkaError a promise rejects with; anything else (or success) fails the test. */
export async function failure(promise: Promise<unknown>): Promise<MatryoshkaError> {
  try {
    await promise;
  } catch (error) {
    if (MatryoshkaError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a MatryoshkaError');
}
