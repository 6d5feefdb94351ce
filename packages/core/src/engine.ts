import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type BundleRef, describeBundle, discoverBundles, readBundle, verifyBundleFiles } from './bundle.js';
import { generateClips, normalizeClipRequest } from './clip-generate.js';
import { denoiseSample } from './denoise-request.js';
import { encodeImage } from './encode.js';
import type { Engine, EngineOptions, ModelInfo, ModelScan } from './engine-types.js';
import { MatryoshkaError } from './errors.js';
import { imageMetadata } from './metadata.js';
import { defaultModelsDir } from './models-dir.js';
import { parseRequest } from './parse-request.js';
import { toRgb8 } from './pixels.js';
import { NestedSchedule } from './schedule.js';
import type {
  GeneratedImage,
  GenerateOptions,
  GenerateRequest,
  GenerateResult,
  NormalizedImageRequest,
  ParsedClipRequest,
  ParsedImageRequest,
} from './schema.js';
import { SerialQueue } from './serial-queue.js';
import { ModelSession } from './session.js';
import { Tokenizer, TokenizerSpecSchema } from './tokenizer.js';

/** The preferred implicit model, when present. */
export const DEFAULT_MODEL_ID = 'emoji-64';
/** The preferred implicit clip model, when present. */
export const DEFAULT_CLIP_MODEL_ID = 'emoji-clip-64';
const MAX_QUEUED = 8;

interface LoadedModel {
  bundle: BundleRef;
  tokenizer: Tokenizer;
  session: ModelSession;
  schedule: NestedSchedule;
}

export function createEngine(options: EngineOptions = {}): Engine {
  return new MatryoshkaEngine(options);
}

class MatryoshkaEngine implements Engine {
  private readonly models = new Map<string, Promise<LoadedModel>>();
  private readonly queue = new SerialQueue(MAX_QUEUED);

  constructor(private readonly options: EngineOptions) {
    const { threads } = options;
    if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 256)) {
      throw new MatryoshkaError(
        'INVALID_REQUEST',
        `threads: must be an integer from 1 to 256 (got ${threads})`,
      );
    }
  }

  private modelsDir(): string {
    const dir = this.options.modelsDir ? resolve(this.options.modelsDir) : defaultModelsDir();
    if (!dir) {
      throw new MatryoshkaError(
        'MODEL_NOT_FOUND',
        'No models folder found: set MATRYOSHKA_MODELS or pass modelsDir (a folder with one sub-folder per bundle)',
      );
    }
    return dir;
  }

  async listModels(): Promise<ModelInfo[]> {
    return (await this.scanModels()).models;
  }

  async scanModels(): Promise<ModelScan> {
    const dir = this.modelsDir();
    const { bundles, broken } = await discoverBundles(dir);
    return {
      models: await Promise.all(bundles.map(describeBundle)),
      skipped: broken.map(({ id, error }) => ({
        id,
        dir: join(dir, id),
        code: error.code,
        reason: error.message,
      })),
    };
  }

  async generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GenerateResult> {
    const started = performance.now();
    const parsed = parseRequest(request);
    if (parsed.kind === 'clip') {
      return this.queue.run(() => this.generateClip(parsed, options, started), options.signal);
    }
    return this.queue.run(() => this.generateImages(parsed, options, started), options.signal);
  }

  async close(): Promise<void> {
    await this.queue.drain();
    const loading = [...this.models.values()];
    this.models.clear();
    await Promise.all(
      loading.map((p) =>
        p.then(
          (m) => m.session.release(),
          () => undefined,
        ),
      ),
    );
  }

  private async generateClip(
    parsed: ParsedClipRequest,
    options: GenerateOptions,
    started: number,
  ): Promise<GenerateResult> {
    const loadStart = performance.now();
    const modelId = parsed.model ?? this.options.defaultModel ?? (await this.implicitModel('clip'));
    const model = await this.load(modelId);
    const request = normalizeClipRequest(parsed, modelId, model.bundle);
    const warnings = model.bundle.manifest.training.fixture
      ? [`Model "${modelId}" is a random-weight test fixture: its clips are noise, not a product`]
      : [];
    return generateClips(model, request, options, started, performance.now() - loadStart, warnings);
  }

  private async generateImages(
    parsed: ParsedImageRequest,
    { signal, onProgress }: GenerateOptions,
    started: number,
  ): Promise<GenerateResult> {
    const warnings: string[] = [];
    const loadStart = performance.now();
    const modelId = parsed.model ?? this.options.defaultModel ?? (await this.implicitModel());
    const model = await this.load(modelId);
    const loadMs = performance.now() - loadStart;
    const { manifest } = model.bundle;
    if (manifest.task !== 'image') {
      throw new MatryoshkaError(
        'MODEL_UNSUPPORTED',
        `Model "${modelId}" is a ${manifest.task} model; ask it for a clip ({ kind: 'clip' }) or name an image model`,
        { details: { model: modelId, task: manifest.task } },
      );
    }
    const native = manifest.levels[0]?.resolution as number;

    if (manifest.training.fixture) {
      warnings.push(
        `Model "${modelId}" is a random-weight test fixture: its pictures are noise, not a product`,
      );
    }
    const request: NormalizedImageRequest = {
      kind: 'image',
      prompt: parsed.prompt,
      negativePrompt: parsed.negativePrompt ?? '',
      model: modelId,
      width: parsed.width ?? parsed.height ?? native,
      height: parsed.height ?? parsed.width ?? native,
      steps: parsed.steps ?? manifest.sampling.steps,
      guidance: parsed.guidance ?? manifest.sampling.guidance,
      seed: parsed.seed ?? randomBytes(4).readUInt32LE(0),
      sampler: parsed.sampler ?? manifest.sampling.sampler,
      count: parsed.count,
      format: parsed.format,
      preview: parsed.preview,
    };
    if (request.width !== native || request.height !== native) {
      const crop = request.width !== request.height ? ', cropped to the new aspect ratio' : '';
      warnings.push(
        `The model draws ${native}×${native} pixels; the image was resized to ${request.width}×${request.height} with sharp (lanczos3${crop}), which adds no detail`,
      );
    }
    const cond = model.tokenizer.encode(request.prompt);
    const uncond = model.tokenizer.encode(request.negativePrompt);
    if (cond.unknownWords.length) {
      warnings.push(
        `Words the model never saw in training, understood only through their spelling: ${[...new Set(cond.unknownWords)].join(', ')}`,
      );
    }
    if (cond.truncatedWords) {
      warnings.push(`The prompt is too long: the model reads only its first ${cond.words.length} words`);
    }

    const images: GeneratedImage[] = [];
    let denoiseMs = 0;
    let encodeMs = 0;
    const channels = manifest.channels;
    for (let imageIndex = 0; imageIndex < request.count; imageIndex++) {
      const seed = (request.seed + imageIndex) >>> 0;
      const denoiseStart = performance.now();
      const x0 = await denoiseSample(
        model,
        request,
        { signal, onProgress, started, cond, uncond },
        seed,
        imageIndex,
      );
      denoiseMs += performance.now() - denoiseStart;
      const encodeStart = performance.now();
      const rgb = toRgb8(x0[0] as Float32Array, channels, native, native);
      const encoded = await encodeImage(rgb, native, native, {
        format: request.format,
        width: request.width,
        height: request.height,
        metadata: imageMetadata(request, seed),
      });
      encodeMs += performance.now() - encodeStart;
      images.push({ ...encoded, width: request.width, height: request.height, seed, format: request.format });
    }
    return {
      images,
      model: modelId,
      request,
      timings: { loadMs, denoiseMs, encodeMs, totalMs: performance.now() - started },
      warnings,
    };
  }

  /** The model used when neither the request nor the engine names one; never a test fixture. */
  private async implicitModel(task: 'image' | 'clip' = 'image'): Promise<string> {
    const dir = this.modelsDir();
    const { bundles, broken } = await discoverBundles(dir);
    const usable = bundles.filter((b) => !b.manifest.training.fixture && b.manifest.task === task);
    const preferred = task === 'image' ? DEFAULT_MODEL_ID : DEFAULT_CLIP_MODEL_ID;
    const chosen = usable.find((b) => b.id === preferred) ?? usable[0];
    if (chosen) return chosen.id;
    const fixtures = bundles
      .filter((b) => b.manifest.training.fixture && b.manifest.task === task)
      .map((b) => b.id);
    const hints = [
      fixtures.length
        ? `${fixtures.join(', ')} ${fixtures.length > 1 ? 'are test fixtures' : 'is a test fixture'} (random weights), never used by default; name it explicitly to use it anyway`
        : '',
      ...broken.map((b) => b.error.message),
    ].filter(Boolean);
    throw new MatryoshkaError(
      'MODEL_NOT_FOUND',
      `No ${task} model to use in ${dir}: put a bundle such as ${preferred}/ there${hints.length ? `\n${hints.join('\n')}` : ''}`,
      { details: { modelsDir: dir } },
    );
  }

  private load(id: string): Promise<LoadedModel> {
    let loading = this.models.get(id);
    if (!loading) {
      loading = this.open(id);
      this.models.set(id, loading);
      // A failed load is not cached: the user may fix the files and retry.
      loading.catch(() => {
        if (this.models.get(id) === loading) this.models.delete(id);
      });
    }
    return loading;
  }

  private async open(id: string): Promise<LoadedModel> {
    const modelsDir = this.modelsDir();
    let bundle: BundleRef;
    try {
      bundle = await readBundle(join(modelsDir, id), id);
    } catch (error) {
      if (MatryoshkaError.isInstance(error) && error.code === 'MODEL_NOT_FOUND') {
        const { bundles } = await discoverBundles(modelsDir);
        const available = bundles.map((b) => b.id).join(', ') || 'none';
        throw new MatryoshkaError(
          'MODEL_NOT_FOUND',
          `Model "${id}" not found in ${modelsDir} (available: ${available})`,
          {
            details: { model: id, modelsDir, available: bundles.map((b) => b.id) },
          },
        );
      }
      throw error;
    }
    await verifyBundleFiles(bundle);
    const tokenizer = await readTokenizer(bundle);
    const session = await ModelSession.open(bundle, this.options.threads);
    const schedule = new NestedSchedule(
      bundle.manifest.schedule,
      bundle.manifest.levels.map((l) => l.resolution),
    );
    return { bundle, tokenizer, session, schedule };
  }
}

async function readTokenizer(bundle: BundleRef): Promise<Tokenizer> {
  const file = bundle.manifest.text.tokenizer;
  const damaged = (problem: string) =>
    new MatryoshkaError('MODEL_CORRUPT', `Model "${bundle.id}" is damaged: ${file} ${problem}`, {
      details: { model: bundle.id, file },
    });
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(bundle.dir, file), 'utf8'));
  } catch (error) {
    throw damaged(`cannot be read as JSON (${(error as Error).message})`);
  }
  const parsed = TokenizerSpecSchema.safeParse(raw);
  if (!parsed.success)
    throw damaged(`is not a matryoshka-word-ngram tokenizer (${parsed.error.issues[0]?.message})`);
  const { text } = bundle.manifest;
  if (parsed.data.maxTokens !== text.maxTokens || parsed.data.ngram.perToken !== text.ngramsPerToken) {
    throw damaged(`disagrees with manifest.json on maxTokens/ngramsPerToken`);
  }
  return new Tokenizer(parsed.data);
}
