#!/usr/bin/python3
"""Build the sample ONNX models that opaudit's tests and docs run against.

The script exports five torchvision classifiers, a YOLOv3 and a BERT-base
encoder (both written here in plain torch.nn from the published architectures)
and a tiny CNN, all from random weights under a fixed seed, so no download is
ever needed and every run produces byte-identical files.  opaudit is a static
analyzer: it needs graphs, shapes and dtypes, not weight values, so every
initializer bigger than 64 bytes (except small integer tensors such as Reshape
shapes or Slice bounds, which shape inference needs) is replaced by an ONNX
external-data reference to a "<model>.weights" file that is deliberately never
written.  That keeps the shipped models tiny while leaving dims and data types
intact.  tiny_cnn.onnx keeps its weights inline so the embedded-data path is
exercised too.  Alongside the models the script writes reference.json and
REFERENCE.md: per model the input shape, node count, ONNX op-type histogram,
parameter count and a MAC count measured independently here with forward hooks
on the PyTorch model, next to the published figures, so the analyzer's own
numbers can be checked against something that is not the analyzer.

Run from the repository root with Debian's interpreter (python3-torch 1.13,
python3-torchvision 0.14, python3-onnx 1.12):

    /usr/bin/python3 samples/export_samples.py
"""

import collections
import hashlib
import io
import json
import math
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from onnx import TensorProto

HERE = Path(__file__).resolve().parent
OUT = HERE / "models"
SEED = 0
PREFERRED_OPSET = 17
STRIP_BYTES = 64  # payloads larger than this are stripped ...
SMALL_INT_ELEMS = 64  # ... unless they are integer tensors with at most this many elements
ALIGN = 4096  # offsets in the (never written) .weights files are laid out 4096-aligned

INT_TYPES = {
    TensorProto.INT8, TensorProto.INT16, TensorProto.INT32, TensorProto.INT64,
    TensorProto.UINT8, TensorProto.UINT16, TensorProto.UINT32, TensorProto.UINT64,
    TensorProto.BOOL,
}
ITEMSIZE = {
    TensorProto.FLOAT: 4, TensorProto.DOUBLE: 8, TensorProto.FLOAT16: 2, TensorProto.BFLOAT16: 2,
    TensorProto.INT8: 1, TensorProto.INT16: 2, TensorProto.INT32: 4, TensorProto.INT64: 8,
    TensorProto.UINT8: 1, TensorProto.UINT16: 2, TensorProto.UINT32: 4, TensorProto.UINT64: 8,
    TensorProto.BOOL: 1,
}
TYPED_FIELDS = ("float_data", "int32_data", "int64_data", "double_data", "uint64_data", "string_data")


# --------------------------------------------------------------------------------------------
# YOLOv3 (yolov3.cfg: Darknet-53 backbone + three detection heads, 75 convolutions)
# --------------------------------------------------------------------------------------------

class ConvBNLeaky(nn.Sequential):
    """Darknet's [convolutional] with batch_normalize=1, activation=leaky."""

    def __init__(self, cin, cout, k, stride=1):
        super().__init__(
            nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, bias=False),
            nn.BatchNorm2d(cout),
            nn.LeakyReLU(0.1),
        )


class DarkResidual(nn.Module):
    """1x1 (c/2) -> 3x3 (c) followed by [shortcut] activation=linear."""

    def __init__(self, c):
        super().__init__()
        self.conv1 = ConvBNLeaky(c, c // 2, 1)
        self.conv2 = ConvBNLeaky(c // 2, c, 3)

    def forward(self, x):
        return x + self.conv2(self.conv1(x))


def dark_stage(cin, cout, blocks):
    """A stride-2 3x3 downsampling conv followed by `blocks` residual blocks."""
    return nn.Sequential(ConvBNLeaky(cin, cout, 3, 2), *[DarkResidual(cout) for _ in range(blocks)])


class Darknet53(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = ConvBNLeaky(3, 32, 3)
        self.stage1 = dark_stage(32, 64, 1)
        self.stage2 = dark_stage(64, 128, 2)
        self.stage3 = dark_stage(128, 256, 8)  # stride 8  -> route to the third head
        self.stage4 = dark_stage(256, 512, 8)  # stride 16 -> route to the second head
        self.stage5 = dark_stage(512, 1024, 4)  # stride 32

    def forward(self, x):
        x = self.stage2(self.stage1(self.stem(x)))
        c3 = self.stage3(x)
        c4 = self.stage4(c3)
        c5 = self.stage5(c4)
        return c3, c4, c5


class YoloHead(nn.Module):
    """Five alternating 1x1/3x3 convs (the 5th feeds the next route), then 3x3 + 1x1 detection conv."""

    def __init__(self, cin, c, num_out=3 * (80 + 5)):
        super().__init__()
        self.body = nn.Sequential(
            ConvBNLeaky(cin, c, 1), ConvBNLeaky(c, 2 * c, 3),
            ConvBNLeaky(2 * c, c, 1), ConvBNLeaky(c, 2 * c, 3),
            ConvBNLeaky(2 * c, c, 1),
        )
        self.out = nn.Sequential(ConvBNLeaky(c, 2 * c, 3), nn.Conv2d(2 * c, num_out, 1, bias=True))

    def forward(self, x):
        route = self.body(x)
        return route, self.out(route)


class YOLOv3(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = Darknet53()
        self.head1 = YoloHead(1024, 512)
        self.lateral1 = ConvBNLeaky(512, 256, 1)
        self.head2 = YoloHead(256 + 512, 256)
        self.lateral2 = ConvBNLeaky(256, 128, 1)
        self.head3 = YoloHead(128 + 256, 128)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")

    def forward(self, x):
        c3, c4, c5 = self.backbone(x)
        r1, out32 = self.head1(c5)
        r2, out16 = self.head2(torch.cat([self.up(self.lateral1(r1)), c4], 1))
        _, out8 = self.head3(torch.cat([self.up(self.lateral2(r2)), c3], 1))
        return out32, out16, out8


# --------------------------------------------------------------------------------------------
# BERT-base encoder (Devlin et al. 2019), written HF-style, without attention mask
# --------------------------------------------------------------------------------------------

class BertEmbeddings(nn.Module):
    def __init__(self, vocab, d, max_pos, type_vocab=2):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, d)
        self.position_embeddings = nn.Embedding(max_pos, d)
        self.token_type_embeddings = nn.Embedding(type_vocab, d)
        self.LayerNorm = nn.LayerNorm(d, eps=1e-12)
        self.dropout = nn.Dropout(0.1)
        # As in HF transformers: position ids and all-zero token type ids are buffers,
        # sliced to the runtime sequence length.
        self.register_buffer("position_ids", torch.arange(max_pos).unsqueeze(0))
        self.register_buffer("token_type_ids", torch.zeros(1, max_pos, dtype=torch.long))

    def forward(self, input_ids):
        batch, seq = input_ids.size(0), input_ids.size(1)
        position_ids = self.position_ids[:, :seq]
        token_type_ids = self.token_type_ids[:, :seq].expand(batch, seq)
        x = (self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
             + self.position_embeddings(position_ids))
        return self.dropout(self.LayerNorm(x))


class BertSelfAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads, self.head_dim = heads, d // heads
        self.query = nn.Linear(d, d)
        self.key = nn.Linear(d, d)
        self.value = nn.Linear(d, d)
        self.dropout = nn.Dropout(0.1)

    def split(self, x):
        return x.view(x.size(0), x.size(1), self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        probs = self.dropout(torch.softmax(scores, dim=-1))
        ctx = torch.matmul(probs, v).transpose(1, 2).contiguous()
        return ctx.view(ctx.size(0), ctx.size(1), self.heads * self.head_dim)


class BertLayer(nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.attention = BertSelfAttention(d, heads)
        self.attention_output = nn.Linear(d, d)
        self.attention_norm = nn.LayerNorm(d, eps=1e-12)
        self.intermediate = nn.Linear(d, ffn)
        self.act = nn.GELU()
        self.output = nn.Linear(ffn, d)
        self.output_norm = nn.LayerNorm(d, eps=1e-12)
        self.dropout = nn.Dropout(0.1)

    def forward(self, x):
        x = self.attention_norm(x + self.dropout(self.attention_output(self.attention(x))))
        return self.output_norm(x + self.dropout(self.output(self.act(self.intermediate(x)))))


class BertBase(nn.Module):
    def __init__(self, vocab=30522, d=768, layers=12, heads=12, ffn=3072, max_pos=512):
        super().__init__()
        self.embeddings = BertEmbeddings(vocab, d, max_pos)
        self.layers = nn.ModuleList([BertLayer(d, heads, ffn) for _ in range(layers)])
        self.pooler = nn.Linear(d, d)

    def forward(self, input_ids):
        x = self.embeddings(input_ids)
        for layer in self.layers:
            x = layer(x)
        return x, torch.tanh(self.pooler(x[:, 0]))


# --------------------------------------------------------------------------------------------
# tiny CNN (keeps its weights inline)
# --------------------------------------------------------------------------------------------

class TinyCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)  # 32x32
        self.pool = nn.MaxPool2d(2)  # 16x16
        self.conv2 = nn.Conv2d(8, 16, 3, stride=2, padding=1, groups=2)  # 8x8, grouped
        self.conv3 = nn.Conv2d(16, 16, 3, padding=1, groups=16)  # 8x8, depthwise
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = F.relu(self.conv2(x))
        x = F.relu(x + self.conv3(x))
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.fc(x)


# --------------------------------------------------------------------------------------------
# MAC counting: forward hooks on Conv2d/Linear modules, plus wrappers around torch.matmul & co.
# and F.linear for the work no module hook can see (attention inside nn.MultiheadAttention and
# torchvision's shifted_window_attention, which call F.linear on module weights directly).
# A TorchFunctionMode cannot be used for this in torch 1.13: it is popped while its handler
# runs, so it never sees the ops inside F.multi_head_attention_forward.
# --------------------------------------------------------------------------------------------

class MacCounter:
    # (owner, attribute, index of the left operand whose last dim is K)
    MATMULS = [(torch, "matmul", 0), (torch, "bmm", 0), (torch, "mm", 0), (torch, "baddbmm", 1),
               (torch, "addmm", 1), (torch.Tensor, "matmul", 0), (torch.Tensor, "__matmul__", 0),
               (torch.Tensor, "bmm", 0), (torch.Tensor, "mm", 0), (torch.Tensor, "baddbmm", 1)]
    CONVS = [(F, "conv1d"), (F, "conv2d"), (F, "conv3d"), (F, "conv_transpose2d")]

    def __init__(self, model):
        self.model = model
        self.macs = collections.Counter()
        self.depth = 0  # >0 while inside a hooked module or a wrapped function: no double counting
        self.undo = []

    def __enter__(self):
        for m in self.model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                self.undo.append(m.register_forward_pre_hook(self._pre).remove)
                self.undo.append(m.register_forward_hook(self._post).remove)
        for owner, attr, k_arg in self.MATMULS:
            self._wrap(owner, attr, "matmul (wrapped torch.matmul/bmm)", lambda a, out, i=k_arg: out.numel() * a[i].shape[-1])
        self._wrap(F, "linear", "linear (wrapped F.linear)", lambda a, out: out.numel() * a[1].shape[-1])
        for owner, attr in self.CONVS:
            self._wrap(owner, attr, "UNCOUNTED functional conv", lambda a, out: 1)
        return self

    def __exit__(self, *exc):
        for undo in reversed(self.undo):
            undo()
        self.undo = []

    def _wrap(self, owner, attr, kind, cost):
        orig = getattr(owner, attr)

        def wrapper(*args, **kwargs):
            if self.depth:
                return orig(*args, **kwargs)
            self.depth += 1
            try:
                out = orig(*args, **kwargs)
            finally:
                self.depth -= 1
            self.macs[kind] += cost(args, out)
            return out

        setattr(owner, attr, wrapper)
        self.undo.append(lambda: setattr(owner, attr, orig))

    def _pre(self, module, inputs):
        self.depth += 1

    def _post(self, module, inputs, output):
        self.depth -= 1
        if self.depth:
            raise RuntimeError("Conv2d/Linear module nested in a counted op")
        if isinstance(module, nn.Conv2d):
            kh, kw = module.kernel_size
            self.macs["conv2d (module hook)"] += output.numel() * (module.in_channels // module.groups) * kh * kw
        else:  # Linear: rows = numel(out) / out_features, each row costs in*out
            self.macs["linear (module hook)"] += output.numel() * module.in_features


def count_macs(model, example):
    # nn.MultiheadAttention takes a fused fast path (torch._native_multi_head_attention, which no
    # wrapper can see) when grad is off; keep grad on while counting so it runs the Python path.
    with torch.enable_grad(), MacCounter(model) as counter:
        model(example)
    if counter.macs.get("UNCOUNTED functional conv"):
        raise RuntimeError("functional conv outside a Conv2d module: not counted")
    return sum(counter.macs.values()), dict(sorted(counter.macs.items()))


# Independent analytic MAC formulas for the transformer models (cross-check of the hooks).

def vit_macs(image=224, patch=16, d=768, layers=12, mlp=3072, classes=1000):
    n = (image // patch) ** 2 + 1  # + class token
    per_layer = n * (4 * d * d + 2 * d * mlp) + 2 * n * n * d  # qkv+out proj, MLP, QK^T and AV
    return (image // patch) ** 2 * d * 3 * patch * patch + layers * per_layer + d * classes


def swin_t_macs(image=224, patch=4, c=96, depths=(2, 2, 6, 2), window=7, mlp_ratio=4, classes=1000):
    h = image // patch
    total = h * h * c * 3 * patch * patch  # patch embedding conv
    for i, depth in enumerate(depths):
        hp = math.ceil(h / window) * window  # feature map padded to a multiple of the window
        windows = (hp // window) ** 2
        n = window * window
        per_block = (windows * n * (4 * c * c + 2 * c * mlp_ratio * c)  # qkv+proj, MLP (on padded map)
                     + windows * 2 * n * n * c)  # QK^T and AV over all heads
        total += depth * per_block
        if i < len(depths) - 1:  # patch merging: Linear(4C -> 2C) on the 2x2-merged map
            h = (h + 1) // 2
            total += h * h * 4 * c * 2 * c
            c *= 2
    return total + c * classes


def bert_macs(batch, seq, d=768, layers=12):
    return batch * (seq * layers * 12 * d * d + layers * 2 * d * seq * seq) + batch * d * d  # + pooler


def yolov3_conv_table(size=416):
    """Hand-written yolov3.cfg conv list -> Darknet's own count (conv layers only, 1 MAC = 2 FLOPs)."""
    layers = []  # (cin, cout, k, out_hw)

    def conv(cin, cout, k, hw):
        layers.append((cin, cout, k, hw))

    hw = size
    conv(3, 32, 3, hw)
    c = 32
    for cout, blocks in ((64, 1), (128, 2), (256, 8), (512, 8), (1024, 4)):
        hw //= 2
        conv(c, cout, 3, hw)
        for _ in range(blocks):
            conv(cout, cout // 2, 1, hw)
            conv(cout // 2, cout, 3, hw)
        c = cout
    for cin, mid, hw_ in ((1024, 512, size // 32), (768, 256, size // 16), (384, 128, size // 8)):
        conv(cin, mid, 1, hw_)
        for _ in range(2):
            conv(mid, 2 * mid, 3, hw_)
            conv(2 * mid, mid, 1, hw_)
        conv(mid, 2 * mid, 3, hw_)
        conv(2 * mid, 255, 1, hw_)
        if mid > 128:
            conv(mid, mid // 2, 1, hw_)  # lateral conv before the upsample
    macs = sum(cin * cout * k * k * hw * hw for cin, cout, k, hw in layers)
    params_folded = sum(cin * cout * k * k + cout for cin, cout, k, hw in layers)
    return len(layers), macs, params_folded


# --------------------------------------------------------------------------------------------
# Export and weight stripping
# --------------------------------------------------------------------------------------------

def export(model, example, input_names, output_names, dynamic_axes=None):
    """torch.onnx.export to memory, at opset 17 or the highest opset the exporter accepts."""
    last = None
    for opset in range(PREFERRED_OPSET, 10, -1):
        buf = io.BytesIO()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                torch.onnx.export(model, (example,), buf, opset_version=opset, do_constant_folding=True,
                                  input_names=input_names, output_names=output_names,
                                  dynamic_axes=dynamic_axes, training=torch.onnx.TrainingMode.EVAL)
        except Exception as e:  # noqa: BLE001 - try the next lower opset
            last = e
            print(f"  opset {opset} failed: {type(e).__name__}: {str(e).splitlines()[0][:200]}")
            continue
        return onnx.load_model_from_string(buf.getvalue()), opset
    raise RuntimeError(f"export failed at every opset: {last}")


def payload_info(t):
    numel = int(np.prod(t.dims, dtype=np.int64)) if len(t.dims) else 1
    nbytes = numel * ITEMSIZE[t.data_type]
    if t.HasField("raw_data") and len(t.raw_data) != nbytes:
        raise RuntimeError(f"{t.name}: raw_data has {len(t.raw_data)} bytes, expected {nbytes}")
    return numel, nbytes


def should_strip(t):
    if t.data_location == TensorProto.EXTERNAL:
        return False
    numel, nbytes = payload_info(t)
    return nbytes > STRIP_BYTES and not (t.data_type in INT_TYPES and numel <= SMALL_INT_ELEMS)


def constants_to_initializers(graph, stats):
    """Turn Constant nodes holding strippable tensors into initializers (top-level graph only)."""
    keep = []
    for node in graph.node:
        value = None
        if node.op_type == "Constant" and len(node.attribute) == 1 and node.attribute[0].name == "value":
            value = node.attribute[0].t
        if value is not None and should_strip(value):
            init = TensorProto()
            init.CopyFrom(value)
            init.name = node.output[0]
            graph.initializer.append(init)
            stats.append({"name": init.name, "dims": list(init.dims), "data_type": TensorProto.DataType.Name(init.data_type)})
        else:
            keep.append(node)
    del graph.node[:]
    graph.node.extend(keep)


def strip_weights(model, location):
    """Replace big payloads with EXTERNAL references to `location` (a file that is never written)."""
    offset = 0
    stripped = 0
    for t in model.graph.initializer:
        if not should_strip(t):
            continue
        _, nbytes = payload_info(t)
        t.ClearField("raw_data")
        for f in TYPED_FIELDS:
            t.ClearField(f)
        del t.external_data[:]
        t.data_location = TensorProto.EXTERNAL
        for k, v in (("location", location), ("offset", str(offset)), ("length", str(nbytes))):
            e = t.external_data.add()
            e.key, e.value = k, v
        offset = (offset + nbytes + ALIGN - 1) // ALIGN * ALIGN
        stripped += 1
    return stripped, offset


def iter_graphs(graph):
    yield graph
    for node in graph.node:
        for a in node.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                yield from iter_graphs(a.g)
            for g in a.graphs:
                yield from iter_graphs(g)


def describe_graph(model):
    """Facts the C++ side should know about: op histogram, control flow, data-dependent shapes."""
    g = model.graph
    inits = {t.name for t in g.initializer}
    producers = {o: n for n in g.node for o in n.output}
    ops = collections.Counter(n.op_type for sub in iter_graphs(g) for n in sub.node)

    def from_shape(name, seen=None):
        """Is this value computed (transitively) from a Shape node?"""
        seen = seen if seen is not None else set()
        if name in seen or name in inits or name not in producers:
            return False
        seen.add(name)
        n = producers[name]
        return n.op_type == "Shape" or any(from_shape(i, seen) for i in n.input if i)

    dyn_slices = [n.name for n in g.node if n.op_type == "Slice" and any(from_shape(i) for i in n.input[1:] if i)]
    dyn_reshapes = [n.name for n in g.node if n.op_type == "Reshape" and from_shape(n.input[1])]
    big_consts = []
    for sub in iter_graphs(g):
        for n in sub.node:
            if n.op_type == "Constant":
                for a in n.attribute:
                    if a.name == "value" and payload_info(a.t)[1] > STRIP_BYTES:
                        big_consts.append(n.output[0])
    dropout_nodes = [n.name for n in g.node if n.op_type == "Dropout"]
    return {
        "op_types": dict(sorted(ops.items())),
        "node_count": len(g.node),
        "control_flow_nodes": sum(ops[o] for o in ("If", "Loop", "Scan")),
        "shape_nodes": ops.get("Shape", 0),
        "slice_with_bounds_from_shape": dyn_slices,
        "reshape_with_shape_from_shape": len(dyn_reshapes),
        "large_constant_nodes_left": big_consts,
        "dropout_nodes": dropout_nodes,
    }


def value_shape(vi):
    tt = vi.type.tensor_type
    dims = [d.dim_param if d.HasField("dim_param") else (d.dim_value if d.HasField("dim_value") else None)
            for d in tt.shape.dim]
    return {"name": vi.name, "dtype": TensorProto.DataType.Name(tt.elem_type), "shape": dims}


def inferred_outputs(model, input_shape=None):
    """Run ONNX shape inference (which never needs stripped payloads) and return the output shapes."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    if input_shape is not None:
        dims = m.graph.input[0].type.tensor_type.shape.dim
        for d, v in zip(dims, input_shape):
            d.Clear()
            d.dim_value = v
        for o in m.graph.output:
            o.type.tensor_type.ClearField("shape")
    m = onnx.shape_inference.infer_shapes(m, strict_mode=True)
    return [value_shape(o) for o in m.graph.output]


def check(path, weights_name):
    """onnx.checker on a copy of the model in a temporary directory.  The checker only stat()s an
    external-data file (it never reads it), so an empty stand-in .weights file is enough there."""
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(path, Path(tmp) / path.name)
        if weights_name:
            (Path(tmp) / weights_name).touch()
        onnx.checker.check_model(str(Path(tmp) / path.name), full_check=True)


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------------------------
# The samples
# --------------------------------------------------------------------------------------------

TV_DOCS = "torchvision model docs, https://pytorch.org/vision/stable/models.html (GFLOPS column, counts MACs)"
TV_META = "torchvision 0.14 weights metadata meta['num_params'] (installed package, read offline)"


def tv(name, weights_enum, gflops):
    return {
        "name": name,
        "build": lambda: getattr(torchvision.models, name)(weights=None),
        "source": f"torchvision.models.{name}(weights=None), random init",
        "example": lambda: torch.randn(1, 3, 224, 224),
        "inputs": ["input"], "outputs": ["output"],
        "published_macs": gflops * 1e9, "published_macs_source": TV_DOCS,
        "published_params": getattr(torchvision.models, weights_enum).IMAGENET1K_V1.meta["num_params"],
        "published_params_source": TV_META,
    }


def samples():
    n_yolo_convs, yolo_cfg_macs, yolo_cfg_params = yolov3_conv_table()
    return [
        {**tv("resnet50", "ResNet50_Weights", 4.089), "analytic_macs": None},
        # The pair `opaudit diff` is tested on (issue 14): torchvision's GFLOPS table gives 1.814 and
        # 7.801 (it counts MACs).
        {**tv("resnet18", "ResNet18_Weights", 1.814), "analytic_macs": None},
        {**tv("resnet101", "ResNet101_Weights", 7.801), "analytic_macs": None},
        {**tv("mobilenet_v2", "MobileNet_V2_Weights", 0.301), "analytic_macs": None},
        {**tv("vit_b_16", "ViT_B_16_Weights", 17.564), "analytic_macs": vit_macs(),
         "analytic_note": "patch conv + 12 x [197 x (4d^2 + 2 d 3072) + 2 x 197^2 d] + head, d=768",
         "notes": ["nn.MultiheadAttention's packed in-projection output [197, 1, 2304] is chunked into "
                   "q/k/v by 3 Slice nodes per layer whose bounds are computed from it at run time "
                   "(Shape -> Gather -> Add -> Div -> Mul); ONNX shape inference still resolves every "
                   "output, but an analyzer must evaluate that small Shape arithmetic to size q/k/v.",
                   "class_token.expand(n, -1, -1) becomes Shape/ConstantOfShape/Equal/Where/Expand even "
                   "with a static batch."]},
        {**tv("shufflenet_v2_x1_0", "ShuffleNet_V2_X1_0_Weights", 0.145), "analytic_macs": None},
        {**tv("swin_t", "Swin_T_Weights", 4.491), "analytic_macs": swin_t_macs(),
         "analytic_note": "patch conv + per block nW x 49 x (4C^2 + 8C^2) + nW x 2 x 49^2 x C + patch merging + head",
         "notes": ["The hardest sample by far: torchvision's shifted_window_attention does its padding, window "
                   "partition and shifted-window mask arithmetic on traced tensor sizes, and the exporter "
                   "folds little of it even though the input is static: Shape -> Gather -> Mod/Sub -> "
                   "ConstantOfShape/Concat -> Pad, Range, Reshape with shapes from Shape, and ScatterND "
                   "building the attention masks at run time.",
                   "onnx.shape_inference (even with data_prop=True) cannot resolve the batch dim of the "
                   "output (it comes out as 'Gemmoutput_dim_0'); the first unresolved value is a "
                   "ConstantOfShape in features.1.0/attn fed by Sub(Shape-derived pad amounts). An analyzer "
                   "has to constant-fold these Shape subgraphs to get [1, 1000].",
                   "24 Dropout nodes with ratio=0.0 and training_mode=True (both Constant inputs) and two "
                   "outputs: shifted_window_attention calls F.dropout(p=...) with the default training=True, "
                   "so eval-mode export keeps them. They are identities in effect; the mask output is unused.",
                   "Linear layers on 3-D inputs become MatMul with a pre-transposed weight initializer "
                   "(named onnx::MatMul_N, not the module path) plus Add of the bias."]},
        {
            "name": "yolov3",
            "build": YOLOv3,
            "source": "YOLOv3 (yolov3.cfg) written in torch.nn in this script, random init; BN folded into conv at export",
            "example": lambda: torch.randn(1, 3, 416, 416),
            "inputs": ["input"], "outputs": ["output_stride32", "output_stride16", "output_stride8"],
            "published_macs": 65.86e9 / 2,
            "published_macs_source": "Darknet, YOLOv3-416 = 65.86 BFLOPs (https://pjreddie.com/darknet/yolo/), 2 FLOPs per MAC",
            "published_params": 61.9e6,
            "published_params_source": "YOLOv3-416 with BN folded, ~61.9 M (figure supplied with the task; Darknet's cfg)",
            "analytic_macs": yolo_cfg_macs,
            "analytic_note": f"hand-written yolov3.cfg conv table: {n_yolo_convs} conv layers, "
                             f"{yolo_cfg_params:,} params with BN folded",
            "override_input": [1, 3, 1088, 1920],
            "notes": ["The 2x nearest upsample is Resize(X, '', scales) with a 16-byte Constant scales "
                      "[1,1,2,2] (kept inline), never baked output sizes, and nothing reshapes the head "
                      "outputs, so overriding the input to any multiple of 32 resolves everywhere."],
        },
        {
            "name": "bert_base",
            "build": BertBase,
            "source": "BERT-base encoder written in torch.nn in this script (HF layout, no attention mask), random init",
            "example": lambda: torch.randint(0, 30522, (2, 128), generator=torch.Generator().manual_seed(SEED)),
            "mac_example": lambda: torch.randint(0, 30522, (1, 128), generator=torch.Generator().manual_seed(SEED)),
            "mac_note": "MACs at batch=1, seq=128 (export used a [2,128] example with symbolic axes)",
            "inputs": ["input_ids"], "outputs": ["last_hidden_state", "pooler_output"],
            "dynamic_axes": {"input_ids": {0: "batch", 1: "seq"},
                             "last_hidden_state": {0: "batch", 1: "seq"}, "pooler_output": {0: "batch"}},
            "published_macs": 11.17e9,
            "published_macs_source": "commonly quoted BERT-base seq-128 encoder figure (supplied with the task); "
                                     "equals batch*(seq*12*12*d^2 + 12*2*d*seq^2), d=768, without the pooler",
            "published_params": 110e6,
            "published_params_source": "Devlin et al. 2019, BERT-base 'Total Parameters=110M'",
            "analytic_macs": bert_macs(1, 128),
            "analytic_note": "batch*(seq*12*12*d^2 + 12*2*d*seq^2) + batch*d^2 (pooler), batch=1, seq=128",
            "notes": ["Symbolic dims 'batch' and 'seq' flow through Shape -> Gather -> Unsqueeze -> Concat "
                      "into the 48 attention Reshapes (view(b, s, heads, 64) and back).",
                      "position_ids and token_type_ids are int64 [1, 512] buffers exported as initializers "
                      "(named embeddings.position_ids / embeddings.token_type_ids). Both are sliced to "
                      "[1, seq] by Slice nodes whose end comes from Shape(input_ids). At 4096 bytes and 512 "
                      "elements they fall under the strip rule, so their values are external like the "
                      "weights; only their shapes are needed to get [batch, seq, 768].",
                      "GELU is exported as Div/Erf/Add/Mul/Mul (the Gelu op only exists from opset 20); "
                      "LayerNorm as LayerNormalization (opset 17). Linear on [batch, seq, d] is MatMul with "
                      "a pre-transposed weight (onnx::MatMul_N) plus Add; the pooler on [batch, d] is Gemm."],
        },
        {
            "name": "tiny_cnn",
            "build": TinyCNN,
            "source": "small CNN written in this script, random init, weights kept inline",
            "example": lambda: torch.randn(1, 3, 32, 32),
            "inputs": ["input"], "outputs": ["output"],
            "keep_weights": True,
            "published_macs": None, "published_params": None,
            "analytic_macs": 32 * 32 * 8 * 27 + 8 * 8 * 16 * 4 * 9 + 8 * 8 * 16 * 9 + 16 * 10,
            "analytic_note": "conv1 32*32*8*27 + conv2 8*8*16*(8/2)*9 + conv3 8*8*16*9 + fc 16*10",
        },
    ]


def trained_like(model):
    """Give norm layers non-default statistics and re-draw any constant-valued tensor.

    Default init leaves every BatchNorm/LayerNorm at weight=1, bias=0, mean=0, var=1 (and
    torchvision zero-inits a few tensors).  After BN folding and constant folding, identical
    tensors are deduplicated by the exporter into one initializer plus Identity nodes, which a
    real trained checkpoint would never produce.  Returns the names of re-drawn tensors."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.BatchNorm2d, nn.LayerNorm)) and m.weight is not None:
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.1)
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.normal_(0.0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
        redrawn = []
        for name, p in list(model.named_parameters()) + list(model.named_buffers()):
            if p.is_floating_point() and p.numel() > 1 and bool((p == p.flatten()[0]).all()):
                p.normal_(0.0, 0.02)
                redrawn.append(name)
    return redrawn


def run_sample(spec):
    name = spec["name"]
    print(f"== {name}")
    torch.manual_seed(SEED)
    model = spec["build"]().eval()
    redrawn = trained_like(model)
    torch.manual_seed(SEED)
    example = spec["example"]()
    mac_example = spec["mac_example"]() if "mac_example" in spec else example

    macs, breakdown = count_macs(model, mac_example)
    torch_params = sum(p.numel() for p in model.parameters())

    notes = list(spec.get("notes", []))
    bn_channels = sum(m.num_features for m in model.modules() if isinstance(m, nn.BatchNorm2d))
    rel_bias = [(m.relative_position_bias_table.numel(), m.num_heads * (m.window_size[0] * m.window_size[1]) ** 2)
                for m in model.modules() if hasattr(m, "relative_position_bias_table")]

    exported, opset = export(model, example, spec["inputs"], spec["outputs"], spec.get("dynamic_axes"))
    exported.doc_string = ""
    nodes_exported = len(exported.graph.node)
    init_elems = sum(payload_info(t)[0] for t in exported.graph.initializer)
    float_elems = sum(payload_info(t)[0] for t in exported.graph.initializer if t.data_type not in INT_TYPES)

    expected = torch_params - bn_channels - sum(t for t, _ in rel_bias) + sum(b for _, b in rel_bias)
    if expected != float_elems:
        raise RuntimeError(f"{name}: ONNX float elements {float_elems} != expected {expected}")
    if bn_channels:
        notes.append(f"BatchNorm folded into the preceding Conv: ONNX float initializer elements = torch "
                     f"parameters - {bn_channels:,} (each of the {bn_channels:,} BN channels loses weight and "
                     f"bias and gives the conv one bias element).")
    if rel_bias:
        notes.append(f"Constant folding turned each block's relative_position_bias_table[index] gather into a "
                     f"folded [1, heads, 49, 49] initializer: ONNX float initializer elements = torch parameters "
                     f"- {sum(t for t, _ in rel_bias):,} (tables) + {sum(b for _, b in rel_bias):,} (folded biases).")

    converted, stripped, ext_bytes = [], 0, 0
    if not spec.get("keep_weights"):
        constants_to_initializers(exported.graph, converted)
        stripped, ext_bytes = strip_weights(exported, f"{name}.weights")
    path = OUT / f"{name}.onnx"
    path.write_bytes(exported.SerializeToString())

    # Verify: it loads without touching the (missing) external data, the checker passes, shapes infer.
    model_proto = onnx.load(str(path), load_external_data=False)
    check(path, stripped and f"{name}.weights")
    outputs = inferred_outputs(model_proto)
    info = describe_graph(model_proto)

    rec = {
        "file": path.name,
        "bytes": path.stat().st_size,
        "sha256": sha256(path),
        "source": spec["source"],
        "constant_tensors_redrawn": redrawn,
        "opset": opset,
        "inputs": [value_shape(i) for i in model_proto.graph.input],
        "outputs": outputs,
        "node_count": info["node_count"],
        "node_count_as_exported": nodes_exported,
        "op_types": info["op_types"],
        "initializers": {
            "count": len(model_proto.graph.initializer),
            "external": stripped,
            "inline": len(model_proto.graph.initializer) - stripped,
            "external_location": f"{name}.weights (not shipped)" if stripped else None,
            "external_bytes_laid_out": ext_bytes,
            "constant_nodes_converted": converted,
        },
        "params": {
            "torch_parameters": torch_params,
            "batchnorm_channels_folded": bn_channels,
            "onnx_initializer_elements": init_elems,
            "onnx_float_initializer_elements": float_elems,
            "published": spec["published_params"],
            "published_source": spec.get("published_params_source"),
        },
        "macs": {
            "hooks": macs,
            "hooks_breakdown": breakdown,
            "hooks_input": list(mac_example.shape),
            "note": spec.get("mac_note"),
            "analytic": spec["analytic_macs"],
            "analytic_note": spec.get("analytic_note"),
            "published": spec["published_macs"],
            "published_source": spec.get("published_macs_source"),
            "hooks_vs_published": None if not spec["published_macs"] else macs / spec["published_macs"] - 1,
        },
        "graph_notes": {k: v for k, v in info.items() if k not in ("op_types", "node_count")},
        "notes": notes,
    }
    if "override_input" in spec:
        rec["override_check"] = {"input": spec["override_input"],
                                 "outputs_by_onnx_shape_inference": inferred_outputs(model_proto, spec["override_input"])}
    print(f"   opset {opset}, {rec['node_count']} nodes, {rec['bytes']} bytes, MACs {macs:,} "
          f"(analytic {spec['analytic_macs']}), torch params {torch_params:,}, onnx elems {init_elems:,}")
    return rec


def write_reference(records):
    (OUT / "reference.json").write_text(json.dumps({
        "generator": "samples/export_samples.py",
        "toolchain": {"torch": torch.__version__, "torchvision": torchvision.__version__, "onnx": onnx.__version__},
        "seed": SEED,
        "mac_convention": "1 per multiply-accumulate: Conv2d N*Cout*Hout*Wout*(Cin/groups)*kh*kw, Linear "
                          "rows*in*out, matmul numel(out)*K; elementwise ops, pooling, softmax, norms not counted",
        "strip_rule": f"initializers with payload > {STRIP_BYTES} bytes, except integer tensors with <= "
                      f"{SMALL_INT_ELEMS} elements, are EXTERNAL references to <model>.weights (not shipped)",
        "models": {r["file"][:-5]: r for r in records},
    }, indent=2, sort_keys=False) + "\n")

    L = []
    L.append("# Sample models: reference figures\n")
    L.append("Generated by `samples/export_samples.py` (do not edit by hand; rerun the script). "
             "Machine-readable copy: `reference.json` (also holds the per-model op-type histograms, "
             "MAC breakdowns and graph notes).\n")
    L.append(f"Toolchain: torch {torch.__version__}, torchvision {torchvision.__version__}, onnx {onnx.__version__}; "
             f"random init with seed {SEED}. All models except `tiny_cnn` have every initializer larger than "
             f"{STRIP_BYTES} bytes (except integer tensors of at most {SMALL_INT_ELEMS} elements) replaced by an "
             "EXTERNAL reference to `<model>.weights`, a file that is deliberately not shipped; dims and data "
             "types are intact.\n")
    L.append("MACs count 1 per multiply-accumulate of Conv2d, Linear and matmul (attention); elementwise ops, "
             "pooling, softmax and normalisation are not counted. *Hooks* = measured on the PyTorch model with "
             "forward hooks on Conv2d/Linear modules plus temporary wrappers around torch.matmul/bmm/baddbmm/mm/addmm "
             "(functions, Tensor methods and `@`) and `F.linear`, counting only calls made outside a hooked module: "
             "they see the attention matmuls and the functional linears that no module hook can see "
             "(nn.MultiheadAttention's in/out projections in ViT, `shifted_window_attention`'s qkv/proj in Swin). "
             "*Analytic* = closed-form formula written independently of the model code.\n")
    L.append("| model | opset | input | nodes | file bytes | MACs (hooks) | MACs (analytic) | MACs (published) | "
             "hooks vs published | params (torch) | params (ONNX initializers) | params (published) |")
    L.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in records:
        m, p = r["macs"], r["params"]
        shape = "x".join(str(d) for d in r["inputs"][0]["shape"])
        if len(r["inputs"]) > 1:
            shape += " (+)"
        rel = "-" if m["hooks_vs_published"] is None else f"{m['hooks_vs_published'] * 100:+.3f}%"
        pub_params = "-" if p["published"] is None else f"{p['published']:,.0f}"
        L.append(f"| {r['file'][:-5]} | {r['opset']} | {r['inputs'][0]['dtype'].lower()} {shape} | {r['node_count']} | "
                 f"{r['bytes']:,} | {m['hooks']:,} | {'-' if m['analytic'] is None else format(m['analytic'], ',')} | "
                 f"{'-' if m['published'] is None else format(round(m['published']), ',')} | {rel} | "
                 f"{p['torch_parameters']:,} | {p['onnx_float_initializer_elements']:,} | {pub_params} |")
    L.append("")
    L.append("Params (ONNX initializers) counts the floating-point initializer elements in the exported graph "
             "(after BN folding and constant folding); it differs from the PyTorch count where BN is folded into "
             "conv (resnet50, mobilenet_v2, shufflenet, yolov3) and in swin_t, where the relative-position bias "
             "gathers were folded (see the notes; the script asserts both identities). Integer buffers (BERT's "
             "position/token-type ids) are not counted.\n")
    L.append("Weights are random (seed 0) but not default-initialised: BatchNorm/LayerNorm get non-trivial "
             "statistics and every constant-valued tensor (torchvision zero-inits some biases, ViT's class token "
             "and head) is redrawn, because the exporter deduplicates identical initializers into one plus "
             "Identity nodes, which a trained checkpoint would never show. Nothing here depends on the values.\n")
    L.append("## Sources and notes per model\n")
    for r in records:
        m, p, g = r["macs"], r["params"], r["graph_notes"]
        L.append(f"### {r['file'][:-5]}\n")
        L.append(f"- built from: {r['source']}")
        L.append("- inputs: " + ", ".join(f"`{i['name']}` {i['dtype']} {i['shape']}" for i in r["inputs"]))
        L.append("- outputs (ONNX shape inference): " + ", ".join(f"`{o['name']}` {o['shape']}" for o in r["outputs"]))
        L.append(f"- MACs by kind (hooks, input {m['hooks_input']}): "
                 + ", ".join(f"{k} {v:,}" for k, v in m["hooks_breakdown"].items()))
        if m["note"]:
            L.append(f"- {m['note']}")
        if m["analytic_note"]:
            L.append(f"- analytic: {m['analytic_note']}")
        if m["published_source"]:
            L.append(f"- published MACs: {m['published_source']}")
        if p["published_source"]:
            L.append(f"- published params: {p['published_source']}")
        L.append(f"- initializers: {r['initializers']['count']} ({r['initializers']['external']} external, "
                 f"{r['initializers']['inline']} inline); Constant nodes turned into initializers: "
                 f"{len(r['initializers']['constant_nodes_converted'])}")
        L.append(f"- graph: {g['shape_nodes']} Shape nodes, {len(g['slice_with_bounds_from_shape'])} Slice nodes with "
                 f"bounds computed from Shape, {g['reshape_with_shape_from_shape']} Reshape nodes with a shape "
                 f"computed from Shape, {g['control_flow_nodes']} If/Loop/Scan nodes, "
                 f"{len(g['dropout_nodes'])} Dropout nodes")
        if "override_check" in r:
            oc = r["override_check"]
            L.append(f"- input overridden to {oc['input']}: ONNX shape inference gives "
                     + ", ".join(f"`{o['name']}` {o['shape']}" for o in oc["outputs_by_onnx_shape_inference"]))
        L.append("- op types: " + ", ".join(f"{k} {v}" for k, v in r["op_types"].items()))
        for note in r["notes"]:
            L.append(f"- note: {note}")
        L.append("")
    (OUT / "REFERENCE.md").write_text("\n".join(L).rstrip() + "\n")


def main():
    torch.set_num_threads(1)  # keep any floating-point folding (BN into conv) bit-stable
    OUT.mkdir(parents=True, exist_ok=True)
    only = set(sys.argv[1:])
    records = [run_sample(s) for s in samples() if not only or s["name"] in only]
    if only:
        # Exporting a subset keeps the other models' records, so reference.json
        # and REFERENCE.md always describe every shipped sample.
        kept = json.loads((OUT / "reference.json").read_text())["models"]
        kept.update({r["file"][:-5]: r for r in records})
        order = [s["name"] for s in samples()]
        records = sorted(kept.values(), key=lambda r: order.index(r["file"][:-5]))
    write_reference(records)
    total = sum((OUT / r["file"]).stat().st_size for r in records)  # every sample
    print(f"total .onnx bytes: {total:,}")


if __name__ == "__main__":
    main()
