import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type * as OrtTypes from 'onnxruntime-node';
import type { BundleRef } from './bundle.js';
import { MatryoshkaError } from './errors.js';
import { loadOrt, type Ort } from './load-ort.js';

/** One batched forward pass: every level's noisy image plus the shared time and text. */
export interface ForwardBatch {
  /** Rows in the batch (conditional and unconditional rows for guidance). */
  batch: number;
  /** Per level, outermost first: batch * C * r * r values (times the level's frames for a clip). */
  levels: Float32Array[];
  /** [batch] shared time per row. */
  t: Float32Array;
  /** [batch * L] token ids. */
  tokens: BigInt64Array;
  /** [batch * L * G] n-gram ids. */
  ngrams: BigInt64Array;
}

export type ForwardFn = (input: ForwardBatch) => Promise<Float32Array[]>;

/** An ONNX Runtime session for one bundle's model.onnx, with its input/output names checked. */
export class ModelSession {
  private constructor(
    private readonly ort: Ort,
    private readonly session: OrtTypes.InferenceSession,
    private readonly bundle: BundleRef,
  ) {}

  static async open(bundle: BundleRef, threads?: number): Promise<ModelSession> {
    const path = join(bundle.dir, bundle.manifest.onnx.file);
    const ort = await loadOrt();
    let session: OrtTypes.InferenceSession;
    try {
      session = await ort.InferenceSession.create(path, {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: threads ?? availableParallelism(),
        // One graph runs per step; parallelism lives inside the operators.
        interOpNumThreads: 1,
        // Spinning worker threads steal the cores from everything else on a busy desktop (and from
        // each other): on 2 loaded cores a 64 px step took 730 ms median spinning, 360 ms without.
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      });
    } catch (error) {
      throw new MatryoshkaError(
        'MODEL_CORRUPT',
        `Model "${bundle.id}" is damaged: ONNX Runtime cannot load ${bundle.manifest.onnx.file} (${(error as Error).message})`,
        { cause: error, details: { model: bundle.id, file: bundle.manifest.onnx.file } },
      );
    }
    const { levels } = bundle.manifest;
    const missingInputs = [...levels.map((l) => l.input), 't', 'tokens', 'ngrams'].filter(
      (name) => !session.inputNames.includes(name),
    );
    const missingOutputs = levels.map((l) => l.output).filter((name) => !session.outputNames.includes(name));
    if (missingInputs.length || missingOutputs.length) {
      await session.release();
      throw new MatryoshkaError(
        'MODEL_CORRUPT',
        `Model "${bundle.id}" is damaged: ${bundle.manifest.onnx.file} lacks ${[
          ...missingInputs.map((n) => `input "${n}"`),
          ...missingOutputs.map((n) => `output "${n}"`),
        ].join(', ')} that manifest.json names`,
        { details: { model: bundle.id, file: bundle.manifest.onnx.file, missingInputs, missingOutputs } },
      );
    }
    return new ModelSession(ort, session, bundle);
  }

  readonly forward: ForwardFn = async ({ batch, levels, t, tokens, ngrams }) => {
    const { manifest } = this.bundle;
    const { ort } = this;
    const channels = manifest.channels;
    const feeds: Record<string, OrtTypes.Tensor> = {
      t: new ort.Tensor('float32', t, [batch]),
      tokens: new ort.Tensor('int64', tokens, [batch, tokens.length / batch]),
      ngrams: new ort.Tensor('int64', ngrams, [batch, tokens.length / batch, ngrams.length / tokens.length]),
    };
    manifest.levels.forEach((level, i) => {
      const r = level.resolution;
      // Clip bundles (format 2) take [B, C, F, r, r]; image bundles [B, C, r, r].
      const dims =
        level.frames === undefined ? [batch, channels, r, r] : [batch, channels, level.frames, r, r];
      feeds[level.input] = new ort.Tensor('float32', levels[i] as Float32Array, dims);
    });
    const outputNames = manifest.levels.map((l) => l.output);
    let results: OrtTypes.InferenceSession.ReturnType;
    try {
      results = await this.session.run(feeds, outputNames);
    } catch (error) {
      throw new MatryoshkaError(
        'RUNTIME_ERROR',
        `ONNX Runtime failed on model "${this.bundle.id}": ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    return outputNames.map((name) => {
      const tensor = results[name];
      if (tensor?.type !== 'float32') {
        throw new MatryoshkaError(
          'MODEL_CORRUPT',
          `Model "${this.bundle.id}" returned no float32 output "${name}"`,
        );
      }
      return tensor.data as Float32Array;
    });
  };

  async release(): Promise<void> {
    await this.session.release();
  }
}
