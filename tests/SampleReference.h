// Figures for the bundled samples that were measured outside opaudit, so that
// tests compare opaudit's rows and totals with them rather than with each
// other (a total and the sum of its rows computed by the same code agree even
// when both are wrong). They were produced by samples/export_samples.py when
// the samples were exported: MACs by PyTorch forward hooks on the model
// itself, parameters as the FLOAT initializer elements of the ONNX file, and
// node and op-type counts from the file's node list. samples/models/REFERENCE.md
// gives their sources; "Samples: the reference table equals reference.json"
// keeps this copy equal to samples/models/reference.json.
#pragma once

#include <cstdint>

namespace opaudit::test {

struct SampleFigures {
  const char *File;
  int64_t Nodes;     ///< reference.json "node_count".
  int64_t MacLayers; ///< Conv + Gemm + MatMul nodes, from reference.json "op_types".
  int64_t Macs;      ///< reference.json macs.hooks (bert_base at batch 1, seq 128).
  int64_t Params;    ///< reference.json params.onnx_float_initializer_elements.
  /// Every counted initializer is ONNX FLOAT (IEEE fp32, the exporter's dtype): 4 bytes each.
  int64_t weightBytes() const { return 4 * Params; }
};

inline constexpr SampleFigures kSampleFigures[] = {
    {"tiny_cnn.onnx", 11, 3 + 1, 267'424, 1'146},
    {"resnet18.onnx", 49, 20 + 1, 1'814'073'344, 11'684'712},
    {"resnet50.onnx", 122, 53 + 1, 4'089'184'256, 25'530'472},
    {"resnet101.onnx", 241, 104 + 1, 7'801'405'440, 44'496'488},
    {"mobilenet_v2.onnx", 170, 52 + 1, 300'774'272, 3'487'816},
    {"shufflenet_v2_x1_0.onnx", 374, 56 + 1, 144'907'992, 2'270'514},
    {"vit_b_16.onnx", 702, 1 + 13 + 60, 17'563'828'224, 86'567'656},
    {"bert_base.onnx", 1098, 1 + 96, 11'174'215'680, 109'482'240},
    {"swin_t.onnx", 6242, 1 + 1 + 75, 4'490'566'656, 28'596'370},
    {"yolov3.onnx", 176, 75, 32'932'037'632, 61'922'845},
};

/// bert_base's inputs are [batch, seq]; its hooks figure was measured at these.
inline constexpr int64_t kBertBatch = 1, kBertSeq = 128;

} // namespace opaudit::test
