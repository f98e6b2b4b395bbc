#!/usr/bin/env bash
# Benchmark: seconds per 512x512 CT slice through the node's one inference path (SliceSegmenter, bundled model,
# batch 8), with each engine in turn (libtorch, then ONNX Runtime; vary with BENCH_OPTS="-Dbench.engines=onnxruntime
# -Dbench.batch=16 -Dlivernode.onnxruntime.threads=1"), the GFLOP/s that achieves (ModelComplexity) and its ratio
# to the CPU's peak measured in the same run (a libtorch float32 matmul). Wall and CPU seconds both: on a shared machine CPU-s are the steadier figure.
# Runs with the launcher's native settings (jemalloc, passive OpenMP waiting), as the node does.
# With PROFILE_JSON, one batch is also run under libtorch's profiler (a Chrome trace there) and its time per
# operator, and per kind of convolution, is printed.
# Usage: bench/inference.sh [SLICES=64] [ROUNDS=3] [PROFILE_JSON]   (needs bin/setup; compiles target/classes)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
for lib in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2; do
  if [ -f "$lib" ]; then
    export LD_PRELOAD="$lib" MALLOC_CONF="${MALLOC_CONF:-dirty_decay_ms:-1,muzzy_decay_ms:-1,lg_extent_max_active_fit:16}"
    break
  fi
done
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
mvn -o -q -B compile
LIB="${LIVERNODE_LIB:-$ROOT/target/quarkus-app/lib/main}"
if [ -d "$LIB" ]; then
  CP="target/classes:$(ls "$LIB"/*.jar | grep -v slf4j-jboss | tr '\n' ':')"
else # not packaged: Maven's own classpath of the project
  mvn -o -q -B dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/bench.classpath
  CP="target/classes:$(tr ':' '\n' < target/bench.classpath | grep -v slf4j-jboss | tr '\n' ':')"
fi
echo "date $(date -u +%FT%TZ); CPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores;" \
  "bf16: $(grep -qw avx512_bf16 /proc/cpuinfo && echo yes || echo no)"
# The class path goes in an argument file: with a 32 KB command line, ONNX Runtime 1.29.0's native start recursed
# until the main thread's stack overflowed (SIGSEGV, no hs_err file); the packaged node's command line is short.
echo "-cp $CP" > target/bench.args
java -Dai.djl.offline=true ${BENCH_OPTS:-} @target/bench.args org.livernode.model.InferenceBench models/eas-unet-lits "${1:-64}" "${2:-3}" ${3:-} \
  2> >(grep -v -E '^(SLF4J|[A-Z][a-z]{2} [0-9]{2}, |WARNING|INFO|\[W[0-9])' >&2)
[ -z "${3:-}" ] && exit 0
python3 - "$3" <<'PY'
import collections, json, sys
trace = json.load(open(sys.argv[1]))
events = [e for e in (trace["traceEvents"] if isinstance(trace, dict) else trace) if e.get("ph") == "X"]
top = ("aten::conv2d", "aten::conv1d", "aten::batch_norm", "aten::max_pool2d", "aten::leaky_relu", "aten::mul",
       "aten::mul_", "aten::div", "aten::div_", "aten::add", "aten::clamp", "aten::relu", "aten::cat", "aten::upsample_nearest2d",
       "aten::_upsample_bilinear2d_aa", "aten::mean", "aten::sigmoid", "aten::copy_", "aten::contiguous")
ops = collections.Counter()
for e in events:
    if e["name"] in top:
        ops[e["name"]] += e["dur"]
total = sum(ops.values())
print("profile of one batch: %.0f ms of operators" % (total / 1000))
for name, us in ops.most_common():
    print("  %-32s %7.1f ms %5.1f %%" % (name, us / 1000, 100 * us / total))
kinds = collections.Counter()
for e in events:
    if e["name"] == "aten::mkldnn_convolution":
        x, w = e["shape"][0], e["shape"][1]
        kinds["depthwise 3x3" if w[1] == 1 and w[0] == x[1] and w[2] == 3 else "1x1" if w[2] == 1 else "full 3x3"] += e["dur"]
for name, us in kinds.most_common():
    print("  convolutions %-19s %7.1f ms %5.1f %%" % (name, us / 1000, 100 * us / total))
PY
