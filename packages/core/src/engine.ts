import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BundleRef, describeBundle, verifyBundleFiles } from './bundle.js';
import { DEFAULT_CLIP_MODEL_ID, DEFAULT_MODEL_ID } from './constants.js';
import type { Engine, EngineOptions, ModelInfo, ModelScan, PromptReading } from './engine-types.js';
import { MatryoshkaError } from './errors.js';
import { generateSamples, type LoadedModel } from './generate-samples.js';
import {
  describeCatalog,
  discoverCatalog,
  type ModelCatalog,
  modelCatalog,
  readCatalogBundle,
} from './model-catalog.js';
import { parseRequest } from './parse-request.js';
import { NestedSchedule } from './schedule.js';
import type { GenerateOptions, GenerateRequest, GenerateResult, NormalizedRequest } from './schema.js';
import { SerialQueue } from './serial-queue.js';
import { ModelSession } from './session.js';
import { clipEncoder, normalizeClipRequest } from './tasks/clip.js';
import { iconsEncoder, normalizeIconsRequest } from './tasks/icons.js';
import { imageEncoder, normalizeImageRequest } from './tasks/image.js';
import { initLevels } from './tasks/init-image.js';
import { maskLevels } from './tasks/init-mask.js';
import { Tokenizer, TokenizerSpecSchema } from './tokenizer.js';

const MAX_QUEUED = 8;

export function createEngine(options: EngineOptions = {}): Engine {
  return new MatryoshkaEngine(options);
}

class MatryoshkaEngine implements Engine {
  private readonly models = new Map<string, Promise<LoadedModel>>();
  private readonly queue = new SerialQueue(MAX_QUEUED);
  // Prompt reading needs only the tokenizer, never an ONNX session.
  private readonly tokenizers = new Map<string, Promise<Tokenizer>>();

  constructor(private readonly options: EngineOptions) {
    const { threads } = options;
    if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 256)) {
      throw new MatryoshkaError(
        'INVALID_REQUEST',
        `threads: must be an integer from 1 to 256 (got ${threads})`,
      );
    }
  }

  /** Looked up on every use: a bundle installed or copied while the engine runs is found. */
  private catalog(): ModelCatalog {
    return modelCatalog(this.options.modelsDir);
  }

  async listModels(): Promise<ModelInfo[]> {
    return (await this.scanModels()).models;
  }

  async scanModels(): Promise<ModelScan> {
    const { bundles, broken } = await discoverCatalog(this.catalog());
    return {
      models: await Promise.all(bundles.map(describeBundle)),
      skipped: broken.map(({ id, dir, error }) => ({
        id,
        dir,
        code: error.code,
        reason: error.message,
      })),
    };
  }

  async generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GenerateResult> {
    const started = performance.now();
    const parsed = parseRequest(request);
    // Decided before the queue, so a request the model or the work limit refuses never waits.
    const modelId = await this.modelIdFor(parsed.kind === 'clip' ? 'clip' : 'image', parsed.model);
    const bundle = await this.bundle(modelId);
    const normalized =
      parsed.kind === 'clip'
        ? normalizeClipRequest(parsed, modelId, bundle)
        : parsed.kind === 'icons'
          ? normalizeIconsRequest(parsed, modelId, bundle)
          : normalizeImageRequest(parsed, modelId, bundle);
    checkWork(normalized, options.maxWork);
    return this.queue.run(
      async () => {
        const loadStart = performance.now(); // after any wait in the queue
        const model = await this.load(modelId);
        const timing = { started, loadMs: performance.now() - loadStart };
        if (normalized.kind === 'clip') {
          return generateSamples(model, normalized, options, timing, clipEncoder(normalized));
        }
        if (normalized.kind === 'icons') {
          return generateSamples(model, normalized, options, timing, iconsEncoder(normalized));
        }
        const { manifest } = model.bundle;
        const init =
          parsed.kind === 'image' && parsed.image !== undefined
            ? {
                levels: await initLevels(
                  parsed.image,
                  manifest.levels.map((l) => l.resolution),
                  manifest.channels,
                ),
                strength: normalized.strength as number,
                ...(parsed.mask === undefined
                  ? {}
                  : {
                      mask: await maskLevels(
                        parsed.mask,
                        manifest.levels.map((l) => l.resolution),
                      ),
                    }),
              }
            : undefined;
        return generateSamples(model, normalized, options, timing, imageEncoder(normalized), init);
      },
      options.signal,
      {
        ...(options.maxQueued === undefined ? {} : { maxQueued: options.maxQueued }),
        ...(options.onQueued === undefined ? {} : { onQueued: options.onQueued }),
      },
    );
  }

  async resolveModel(request: { kind?: 'image' | 'clip'; model?: string } = {}): Promise<ModelInfo> {
    const kind = request.kind ?? 'image';
    const id = await this.modelIdFor(kind, request.model);
    return describeBundle(await this.bundle(id));
  }

  async readPrompt(
    prompt: string,
    request: { kind?: 'image' | 'clip'; model?: string } = {},
  ): Promise<PromptReading> {
    const id = await this.modelIdFor(request.kind ?? 'image', request.model);
    const reader = await this.tokenizer(await this.bundle(id));
    const interpretation = reader.read(prompt);
    return { model: id, interpretation, unknownWords: reader.encode(interpretation.text).unknownWords };
  }

  /** The named model, else the engine's default when it draws this kind, else core's choice for the kind. */
  /** A bundle's tokenizer, read once for prompt reading and generation alike (a failed read is retried). */
  private tokenizer(bundle: BundleRef): Promise<Tokenizer> {
    let tokenizer = this.tokenizers.get(bundle.id);
    if (!tokenizer) {
      tokenizer = readTokenizer(bundle);
      this.tokenizers.set(bundle.id, tokenizer);
      tokenizer.catch(() => this.tokenizers.delete(bundle.id));
    }
    return tokenizer;
  }

  private async modelIdFor(kind: 'image' | 'clip', model: string | undefined): Promise<string> {
    if (model !== undefined) return model;
    const preferred = this.options.defaultModel;
    if (preferred !== undefined) {
      const task = await this.bundle(preferred).then(
        (b) => b.manifest.task,
        () => undefined,
      );
      // A missing default is reported when used for its own kind; a clip request skips an image default.
      if (task === kind || (task === undefined && kind === 'image')) return preferred;
    }
    return this.implicitModel(kind);
  }

  get pending(): number {
    return this.queue.size;
  }

  async close(): Promise<void> {
    await this.queue.drain();
    const loading = [...this.models.values()];
    this.models.clear();
    this.tokenizers.clear();
    await Promise.all(
      loading.map((p) =>
        p.then(
          (m) => m.session.release(),
          () => undefined,
        ),
      ),
    );
  }

  /** The model used when neither the request nor the engine names one; never a test fixture. */
  private async implicitModel(task: 'image' | 'clip'): Promise<string> {
    const catalog = this.catalog();
    const { bundles, broken } = await discoverCatalog(catalog);
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
      `No ${task} model to use in ${describeCatalog(catalog)}: install @matryoshka/model-${preferred} or put a bundle such as ${preferred}/ in ${catalog.folder ?? 'a models folder (modelsDir, $MATRYOSHKA_MODELS)'}${hints.length ? `\n${hints.join('\n')}` : ''}`,
      {
        details: {
          ...(catalog.folder ? { modelsDir: catalog.folder } : {}),
          packages: catalog.packages.map((p) => p.name),
        },
      },
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

  /** The bundle's manifest: the loaded model's, or read from disk (cheap: no weights). */
  private async bundle(id: string): Promise<BundleRef> {
    const loading = this.models.get(id);
    if (loading) {
      const loaded = await loading.catch(() => undefined);
      if (loaded) return loaded.bundle;
    }
    return this.readBundleRef(id);
  }

  private async open(id: string): Promise<LoadedModel> {
    const bundle = await this.readBundleRef(id);
    await verifyBundleFiles(bundle);
    const tokenizer = await this.tokenizer(bundle);
    const session = await ModelSession.open(bundle, this.options.threads);
    const schedule = new NestedSchedule(
      bundle.manifest.schedule,
      bundle.manifest.levels.map((l) => l.resolution),
    );
    return { bundle, tokenizer, session, schedule };
  }

  private readBundleRef(id: string): Promise<BundleRef> {
    return readCatalogBundle(this.catalog(), id);
  }
}

/** Pixel-steps a request asks for: the denoising work, whatever the model. */
export function workOf(request: NormalizedRequest): number {
  const frames = request.kind === 'clip' ? request.frames : 1;
  return request.steps * request.count * frames * request.width * request.height;
}

function checkWork(request: NormalizedRequest, limit: number | undefined): void {
  if (limit === undefined) return;
  const work = workOf(request);
  if (work <= limit) return;
  const frames = request.kind === 'clip' ? ` × ${request.frames} frames` : '';
  throw new MatryoshkaError(
    'INVALID_REQUEST',
    `this request is too large: ${request.steps} steps × ${request.count} ${request.kind === 'clip' ? 'clip' : 'image'}(s)${frames} × ${request.width}×${request.height} px = ${work.toLocaleString('en-US')} pixel-steps, over the limit of ${limit.toLocaleString('en-US')}; ask for fewer steps, fewer ${request.kind === 'clip' ? 'clips' : 'images'} or a smaller size`,
    { details: { work, limit } },
  );
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
