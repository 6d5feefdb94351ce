import * as ort from 'onnxruntime-node';

export interface ExposedGraph {
  nodes: Array<{
    op: string;
    name: string;
    a: string;
    b: string;
    out: string;
    attrs: Record<string, unknown>;
  }>;
  constantShapes: Record<string, number[]>;
}

export interface ManifestLike {
  channels: number;
  levels: Array<{ resolution: number; input: string }>;
  text: { maxTokens: number; ngramsPerToken: number };
}

export interface FlopCount {
  batch: number;
  flops: number;
  byOp: Record<string, number>;
}

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/**
 * FLOPs of one forward pass at `batch` rows: runs the exposed copy of the graph (bench/python/
 * onnx_expose.py) once and reads the real shapes of every Conv/ConvTranspose/MatMul/Gemm. Each costs
 * 2 × (output elements) × (reduction length): the reduction is Cin/groups·kh·kw for a convolution
 * (Cout/groups·kh·kw per input element for a transposed one) and K for a matrix product.
 */
export async function countFlops(
  exposedModel: string,
  graph: ExposedGraph,
  manifest: ManifestLike,
  batch: number,
): Promise<FlopCount> {
  const session = await ort.InferenceSession.create(exposedModel, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'disabled',
    intraOpNumThreads: 1,
  });
  const { channels, levels, text } = manifest;
  const L = text.maxTokens;
  const G = text.ngramsPerToken;
  const feeds: Record<string, ort.Tensor> = {
    t: new ort.Tensor('float32', new Float32Array(batch).fill(0.5), [batch]),
    tokens: new ort.Tensor(
      'int64',
      new BigInt64Array(batch * L).map((_, i) => (i % L === 0 ? 2n : i % L < 4 ? 3n : 0n)),
      [batch, L],
    ),
    ngrams: new ort.Tensor('int64', new BigInt64Array(batch * L * G).fill(1n), [batch, L, G]),
  };
  for (const level of levels) {
    const r = level.resolution;
    feeds[level.input] = new ort.Tensor('float32', new Float32Array(batch * channels * r * r), [
      batch,
      channels,
      r,
      r,
    ]);
  }
  const outputs = await session.run(feeds);
  const shape = (name: string): number[] => {
    const constant = graph.constantShapes[name];
    if (constant) return constant;
    const tensor = outputs[name] ?? feeds[name];
    if (!tensor) throw new Error(`exposed graph lacks ${name}`);
    return [...tensor.dims];
  };
  const byOp: Record<string, number> = {};
  for (const node of graph.nodes) {
    const a = shape(node.a);
    const b = shape(node.b);
    const out = shape(node.out);
    let reduction: number;
    if (node.op === 'Conv') {
      reduction = product(b.slice(1));
    } else if (node.op === 'ConvTranspose') {
      // Every input element is scattered through a Cout/g × kh × kw slice of the kernel.
      reduction = product(b.slice(1));
      byOp[node.op] = (byOp[node.op] ?? 0) + 2 * product(a) * reduction;
      continue;
    } else if (node.op === 'Gemm') {
      reduction = node.attrs.transA ? (a[0] as number) : (a[1] as number);
    } else {
      reduction = a.at(-1) as number;
    }
    byOp[node.op] = (byOp[node.op] ?? 0) + 2 * product(out) * reduction;
  }
  await session.release();
  return { batch, flops: Object.values(byOp).reduce((x, y) => x + y, 0), byOp };
}
