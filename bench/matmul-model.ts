/**
 * The bytes of an ONNX model holding one float32 n×n MatMul (inputs a, b; output c), written by hand
 * in protobuf wire format so that the ONNX Runtime peak needs no Python. Field numbers from onnx.proto:
 * ModelProto{ir_version 1, graph 7, opset_import 8}, GraphProto{node 1, name 2, input 11, output 12},
 * NodeProto{input 1, output 2, op_type 4}, ValueInfoProto{name 1, type 2}, TypeProto{tensor_type 1},
 * TypeProto.Tensor{elem_type 1, shape 2}, TensorShapeProto{dim 1}, Dimension{dim_value 1},
 * OperatorSetIdProto{domain 1, version 2}.
 */
function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

const key = (field: number, wire: 0 | 2) => varint((field << 3) | wire);
const int = (field: number, value: number) => [...key(field, 0), ...varint(value)];
const bytes = (field: number, payload: number[]) => [...key(field, 2), ...varint(payload.length), ...payload];
const text = (field: number, value: string) => bytes(field, [...new TextEncoder().encode(value)]);

function matrix(name: string, n: number): number[] {
  const dim = bytes(1, int(1, n));
  const shape = bytes(2, [...dim, ...dim]);
  const tensor = bytes(1, [...int(1, 1 /* FLOAT */), ...shape]);
  return [...text(1, name), ...bytes(2, tensor)];
}

export function matmulModel(n: number): Uint8Array {
  const node = [...text(1, 'a'), ...text(1, 'b'), ...text(2, 'c'), ...text(4, 'MatMul')];
  const graph = [
    ...bytes(1, node),
    ...text(2, 'matmul'),
    ...bytes(11, matrix('a', n)),
    ...bytes(11, matrix('b', n)),
    ...bytes(12, matrix('c', n)),
  ];
  const opset = [...text(1, ''), ...int(2, 17)];
  return new Uint8Array([...int(1, 8), ...bytes(7, graph), ...bytes(8, opset)]);
}
