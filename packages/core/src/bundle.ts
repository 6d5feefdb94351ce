import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelInfo } from './engine-types.js';
import { MatryoshkaError } from './errors.js';
import { sha256File } from './hash-file.js';
import { type Manifest, ManifestSchema, SUPPORTED_FORMAT_VERSIONS } from './manifest.js';

export interface BundleRef {
  id: string;
  dir: string;
  manifest: Manifest;
}

const MANIFEST = 'manifest.json';

/** Reads and validates one bundle's manifest; every failure names the bundle and the file. */
export async function readBundle(dir: string, id: string): Promise<BundleRef> {
  const path = join(dir, MANIFEST);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new MatryoshkaError('MODEL_NOT_FOUND', `Model "${id}" has no ${MANIFEST} (looked in ${dir})`, {
        details: { model: id, file: path },
      });
    }
    throw new MatryoshkaError('IO_ERROR', `Cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw corrupt(id, MANIFEST, `${MANIFEST} is not valid JSON (${(error as Error).message})`, dir);
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (!(SUPPORTED_FORMAT_VERSIONS as readonly unknown[]).includes(version)) {
    throw new MatryoshkaError(
      'MODEL_UNSUPPORTED',
      `Model "${id}" uses bundle format version ${JSON.stringify(version)}; this engine reads versions ${SUPPORTED_FORMAT_VERSIONS.join(' and ')} (update @matryoshka/core or re-export the bundle)`,
      { details: { model: id, formatVersion: version } },
    );
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw corrupt(id, MANIFEST, `${MANIFEST} is invalid:\n${lines.join('\n')}`, dir);
  }
  if (parsed.data.id !== id) {
    throw corrupt(
      id,
      MANIFEST,
      `${MANIFEST} declares id "${parsed.data.id}" but is installed as "${id}"`,
      dir,
    );
  }
  return { id, dir, manifest: parsed.data };
}

/** Every bundle folder under modelsDir, with its manifest; folders whose manifest is broken are reported apart. */
export async function discoverBundles(
  modelsDir: string,
): Promise<{ bundles: BundleRef[]; broken: Array<{ id: string; error: MatryoshkaError }> }> {
  let entries: string[];
  try {
    entries = (await readdir(modelsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { bundles: [], broken: [] };
    throw new MatryoshkaError('IO_ERROR', `Cannot list models in ${modelsDir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const bundles: BundleRef[] = [];
  const broken: Array<{ id: string; error: MatryoshkaError }> = [];
  for (const id of entries.sort()) {
    try {
      bundles.push(await readBundle(join(modelsDir, id), id));
    } catch (error) {
      // A folder without a manifest is not a bundle (e.g. a README folder); anything else is broken.
      if (MatryoshkaError.isInstance(error) && error.code !== 'MODEL_NOT_FOUND') broken.push({ id, error });
      else if (!MatryoshkaError.isInstance(error)) throw error;
    }
  }
  return { bundles, broken };
}

/** Checks each file the manifest lists: present, the declared size, then the declared sha256. */
export async function verifyBundleFiles(bundle: BundleRef): Promise<void> {
  for (const [name, expected] of Object.entries(bundle.manifest.files)) {
    const path = join(bundle.dir, name);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      throw corrupt(bundle.id, name, `${name} is missing (expected at ${path})`, bundle.dir);
    }
    if (size !== expected.bytes) {
      throw corrupt(
        bundle.id,
        name,
        `${name} has ${size} bytes but the manifest says ${expected.bytes} (truncated or replaced)`,
        bundle.dir,
      );
    }
    const actual = await sha256File(path);
    if (actual !== expected.sha256) {
      throw corrupt(
        bundle.id,
        name,
        `${name} fails its checksum (sha256 ${actual}, manifest says ${expected.sha256}); the file is corrupt`,
        bundle.dir,
      );
    }
  }
}

export async function bundleSize(bundle: BundleRef): Promise<number> {
  let total = 0;
  for (const name of [MANIFEST, ...Object.keys(bundle.manifest.files)]) {
    total += await stat(join(bundle.dir, name)).then(
      (s) => s.size,
      () => 0,
    );
  }
  return total;
}

export async function describeBundle(bundle: BundleRef): Promise<ModelInfo> {
  const m = bundle.manifest;
  return {
    id: bundle.id,
    name: m.name,
    description: m.description,
    task: m.task,
    nativeResolution: m.levels[0]?.resolution ?? 0,
    levels: m.levels.map((l) => l.resolution),
    license: m.license,
    bytesOnDisk: await bundleSize(bundle),
    fixture: m.training.fixture,
    dir: bundle.dir,
    defaults: { steps: m.sampling.steps, guidance: m.sampling.guidance, sampler: m.sampling.sampler },
    ...(m.clip
      ? { clip: { frames: m.clip.frames, fps: m.clip.fps, levelFrames: m.levels.map((l) => l.frames ?? 1) } }
      : {}),
  };
}

function corrupt(id: string, file: string, problem: string, dir: string): MatryoshkaError {
  return new MatryoshkaError('MODEL_CORRUPT', `Model "${id}" is damaged: ${problem}`, {
    details: { model: id, file, dir },
  });
}
