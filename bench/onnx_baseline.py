#!/usr/bin/python3
"""Baseline for bench/: what Python peers do, onnx.load + onnx.shape_inference.infer_shapes.

External data is not loaded (the synthetic transformers name a weights file that is never
written); for VGG-16 every weight is embedded, so onnx.load reads all of it.
Usage: bench/onnx_baseline.py MODEL.onnx
"""
import sys

import onnx

m = onnx.load(sys.argv[1], load_external_data=False)
m = onnx.shape_inference.infer_shapes(m)
print(len(m.graph.node), "nodes,", len(m.graph.value_info), "inferred values")
