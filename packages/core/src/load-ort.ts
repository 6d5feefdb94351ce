import type * as OrtModule from 'onnxruntime-node';

export type Ort = typeof OrtModule;
let loading: Promise<Ort> | undefined;

/**
 * ONNX Runtime on first use instead of at import: a front end that only validates a request, prints
 * help or lists models never needs it, and loading its native binding cost ~70 ms of every start.
 */
export function loadOrt(): Promise<Ort> {
  loading ??= import('onnxruntime-node').then(
    // The CommonJS build of a host may hand back the namespace under `default`.
    (m) => ((m as unknown as { default?: Ort }).default ?? m) as Ort,
  );
  return loading;
}
