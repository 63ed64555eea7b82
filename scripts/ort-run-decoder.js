// Runs a decoder ONNX model with a KV cache through ONNX Runtime (onnxruntime-node, CPU) and prints,
// for each (batch, sequence, past) binding, the shapes of every output as one JSON line. It is the
// executed reference for opaudit's symbolic shapes of present.N.key/.value; scripts/ort-run-decoder
// installs the runtime and calls it.
//
// Inputs are made from their names: input_ids (seeded ids below the vocabulary), attention_mask (all
// ones, [batch, past + sequence]), position_ids (past .. past + sequence - 1), past_key_values.N.*
// (seeded uniform values, [batch, h_kv, past, head_dim] from the model's declared dims). The same
// seed gives the same values for the same input name in every model, so --compare can run two forms
// of one decoder on identical inputs and report how far their outputs differ.
'use strict';

const path = require('path');
const ort = require('onnxruntime-node');

function usage(msg) {
  if (msg) console.error(`ort-run-decoder: ${msg}`);
  console.error('usage: ort-run-decoder MODEL.onnx [--bind B,S,P]... [--seed N] [--compare OTHER.onnx] [--values N]');
  process.exit(2);
}

function parseArgs(argv) {
  const a = { binds: [], seed: 1, values: 0, compare: null, model: null };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    const next = () => (i + 1 < argv.length ? argv[++i] : usage(`${v} needs a value`));
    if (v === '--bind') {
      const p = next().split(',').map(Number);
      if (p.length !== 3 || p.some((x) => !Number.isInteger(x) || x < 0) || p[0] < 1 || p[1] < 1) {
        usage(`--bind takes BATCH,SEQUENCE,PAST (batch and sequence >= 1), got '${argv[i]}'`);
      }
      a.binds.push({ batch: p[0], sequence: p[1], past: p[2] });
    } else if (v === '--seed') a.seed = Number(next());
    else if (v === '--values') a.values = Number(next());
    else if (v === '--compare') a.compare = next();
    else if (v === '-h' || v === '--help') usage();
    else if (v.startsWith('-')) usage(`unknown option ${v}`);
    else if (a.model) usage('one model (use --compare for a second)');
    else a.model = v;
  }
  if (!a.model) usage();
  // Prefill with several sequences, decode with several sequences, and a chunk on top of a cache
  // (GroupQueryAttention takes a multi-token step over a past only at batch 1).
  if (a.binds.length === 0) a.binds = [[2, 5, 0], [3, 1, 8], [1, 4, 6]].map(([b, s, p]) => ({ batch: b, sequence: s, past: p }));
  return a;
}

// ---- deterministic values ------------------------------------------------------------------

function hash(str) {
  let h = 2166136261;
  for (let i = 0; i < str.length; i++) h = Math.imul(h ^ str.charCodeAt(i), 16777619);
  return h >>> 0;
}

function rng(seed, name) {
  let s = (hash(name) ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
  return () => { // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function toHalf(x) { // round to nearest even, enough for values in [-1, 1]
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = ((b >>> 23) & 0xff) - 127 + 15;
  let mant = b & 0x7fffff;
  if (exp <= 0) {
    if (exp < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - exp;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1))) h++;
    return sign | h;
  }
  if (exp >= 31) return sign | 0x7c00;
  let h = sign | (exp << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h++;
  return h;
}
function fromHalf(h) {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

function floatTensor(type, dims, seed, name) {
  const n = dims.reduce((x, y) => x * y, 1);
  const r = rng(seed, name);
  if (type === 'float16') {
    const a = new Uint16Array(n);
    for (let i = 0; i < n; i++) a[i] = toHalf(2 * r() - 1);
    return new ort.Tensor('float16', a, dims);
  }
  if (type !== 'float32') throw new Error(`${name}: unsupported cache type ${type}`);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = 2 * r() - 1;
  return new ort.Tensor('float32', a, dims);
}

function int64Tensor(dims, f) {
  const n = dims.reduce((x, y) => x * y, 1);
  const a = new BigInt64Array(n);
  for (let i = 0; i < n; i++) a[i] = BigInt(f(i));
  return new ort.Tensor('int64', a, dims);
}

function values(t) {
  if (t.type === 'float16') {
    const d = t.data;
    // onnxruntime-node returns float16 as Uint16Array bits (or Float16Array where the runtime has one)
    return d instanceof Uint16Array ? Array.from(d, fromHalf) : Array.from(d, Number);
  }
  return Array.from(t.data, Number);
}

// ---- feeds ---------------------------------------------------------------------------------

function feedsFor(session, bind, seed) {
  const meta = Object.fromEntries(session.inputMetadata.map((m) => [m.name, m]));
  const logits = session.outputMetadata.find((m) => m.name === 'logits');
  const vocab = logits && typeof logits.shape[2] === 'number' ? logits.shape[2] : 32;
  const { batch: b, sequence: s, past: p } = bind;
  const feeds = {};
  for (const name of session.inputNames) {
    const m = meta[name];
    if (name === 'input_ids') {
      const r = rng(seed, name);
      feeds[name] = int64Tensor([b, s], () => Math.floor(r() * vocab));
    } else if (name === 'attention_mask') {
      feeds[name] = int64Tensor([b, p + s], () => 1);
    } else if (name === 'position_ids') {
      feeds[name] = int64Tensor([b, s], (i) => p + (i % s));
    } else if (/^past_key_values\.\d+\.(key|value)$/.test(name)) {
      const [, heads, , hd] = m.shape;
      if (typeof heads !== 'number' || typeof hd !== 'number') throw new Error(`${name}: heads and head dim must be static, got ${JSON.stringify(m.shape)}`);
      feeds[name] = floatTensor(m.type, [b, heads, p, hd], seed, name);
    } else {
      throw new Error(`input '${name}' is not one this runner knows how to fill`);
    }
  }
  return feeds;
}

async function runOne(session, bind, seed) {
  const feeds = feedsFor(session, bind, seed);
  const out = await session.run(feeds);
  const total = bind.past + bind.sequence;
  const shapes = {};
  const checks = { present_shapes: true, past_preserved: true };
  for (const name of session.outputNames) {
    const t = out[name];
    shapes[name] = { type: t.type, dims: t.dims.map(Number) };
    const m = /^present\.(\d+)\.(key|value)$/.exec(name);
    if (!m) continue;
    const past = feeds[`past_key_values.${m[1]}.${m[2]}`];
    const [b, h, T, hd] = t.dims.map(Number);
    if (!past || b !== bind.batch || T !== total || h !== past.dims[1] || hd !== past.dims[3]) checks.present_shapes = false;
    // present = Concat(past, new) along the sequence axis: its first `past` rows are the past ones.
    if (past && bind.past > 0) {
      const pv = values(past);
      const tv = values(t);
      for (let i = 0; i < b * h && checks.past_preserved; i++) {
        for (let j = 0; j < bind.past * hd; j++) {
          if (pv[i * bind.past * hd + j] !== tv[i * T * hd + j]) { checks.past_preserved = false; break; }
        }
      }
    }
  }
  return { feeds, out, shapes, checks };
}

function maxAbs(a) { return a.reduce((m, x) => Math.max(m, Math.abs(x)), 0); }

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const opts = { logSeverityLevel: 3 };
  const session = await ort.InferenceSession.create(a.model, opts);
  const other = a.compare ? await ort.InferenceSession.create(a.compare, opts) : null;
  let ok = true;
  for (const bind of a.binds) {
    const r = await runOne(session, bind, a.seed);
    const line = {
      model: path.basename(a.model),
      binding: { batch: bind.batch, sequence_length: bind.sequence, past_sequence_length: bind.past,
                 total_sequence_length: bind.past + bind.sequence },
      outputs: r.shapes,
      checks: r.checks,
    };
    if (!r.checks.present_shapes || !r.checks.past_preserved) ok = false;
    if (a.values > 0 && r.out.logits) line.logits_head = values(r.out.logits).slice(0, a.values);
    if (other) {
      const o = await runOne(other, bind, a.seed);
      const diff = {};
      for (const name of session.outputNames) {
        if (!o.out[name]) continue;
        const x = values(r.out[name]);
        const y = values(o.out[name]);
        if (x.length !== y.length) { diff[name] = 'shape mismatch'; ok = false; continue; }
        let d = 0;
        for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
        diff[name] = { max_abs_diff: d, max_abs: maxAbs(x) };
      }
      line.compare = { model: path.basename(a.compare), outputs: diff, checks: o.checks };
    }
    console.log(JSON.stringify(line));
  }
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(`ort-run-decoder: ${e.message || e}`);
  process.exit(1);
});
