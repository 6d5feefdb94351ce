"""Prepares a FLOP count of a bundle's model.onnx from the graph itself: writes a copy of the model in
which the operands and result of every Conv, ConvTranspose, MatMul and Gemm node are extra graph
outputs, so one real run (bench/flops.ts, ONNX Runtime) reads their exact shapes. Static shape
inference cannot do this reliably: the exporter computes many Reshape targets at run time.

    /usr/bin/python3 bench/python/onnx_expose.py models/emoji-64/model.onnx /tmp/exposed.onnx

Prints one JSON object: the nodes (op, attributes, operand and result names) and the shapes of
operands that are initialisers (weights), which are not outputs.
"""

from __future__ import annotations

import json
import sys

import onnx
from onnx import helper

OPS = ("Conv", "ConvTranspose", "MatMul", "Gemm")


def main() -> None:
    src, dst = sys.argv[1], sys.argv[2]
    model = onnx.load(src)
    graph = model.graph
    initialisers = {init.name: list(init.dims) for init in graph.initializer}
    inputs = {value.name for value in graph.input}
    existing = {value.name for value in graph.output}
    nodes, constant_shapes = [], {}
    for node in graph.node:
        if node.op_type not in OPS:
            continue
        attrs = {}
        for at in node.attribute:
            value = helper.get_attribute_value(at)
            attrs[at.name] = value.decode() if isinstance(value, bytes) else value
        names = [node.input[0], node.input[1], node.output[0]]
        nodes.append({"op": node.op_type, "name": node.name, "a": names[0], "b": names[1], "out": names[2],
                      "attrs": {k: v for k, v in attrs.items() if isinstance(v, (int, float, str, list))}})
        for name in names:
            if name in initialisers:
                constant_shapes[name] = initialisers[name]
            elif name not in existing and name not in inputs:
                graph.output.append(helper.make_empty_tensor_value_info(name))
                existing.add(name)
    onnx.save(model, dst)
    json.dump({"nodes": nodes, "constantShapes": constant_shapes}, sys.stdout)


if __name__ == "__main__":
    main()
