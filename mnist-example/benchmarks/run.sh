#!/usr/bin/env bash
# Measures RobustUnit's FGSM against the PyTorch reference (../shared/peer/fgsm_peer.py) on this machine, in
# one run and on the same weights, and writes docs/benchmarks.md. Never run it beside another benchmark.
#
#   mnist-example/benchmarks/run.sh            # needs Debian's python3-torch and python3-numpy
#
# Environment: PEER_DIR (default ../shared/peer), DATA_DIR (default ../shared/datasets/mnist),
# JMH_OPTS (default "-f 1 -wi 3 -i 5 -w 2s -r 2s").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
peer_dir="${PEER_DIR:-$root/../shared/peer}"
data_dir="${DATA_DIR:-$root/../shared/datasets/mnist}"
jmh_opts="${JMH_OPTS:--f 1 -wi 3 -i 5 -w 2s -r 2s}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== building" >&2
(cd "$root" && mvn -q -B -DskipTests package)
jar="$root/mnist-example/target/robustunit-mnist.jar"

echo "== PyTorch reference: train its weights, then FGSM throughput at batch 1/100/1000/10000" >&2
OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$peer_dir/fgsm_peer.py" --data-dir "$data_dir" \
    --save-weights "$work/weights" --bench-batch-sizes 1,100,1000,10000 --bench-runs 5 \
    --json-out "$work/peer.json" > /dev/null

echo "== RobustUnit (JMH) on the same weights" >&2
OMP_NUM_THREADS=1 java -Xmx1g -cp "$jar" org.openjdk.jmh.Main FgsmBenchmark $jmh_opts \
    -jvmArgsAppend "-Xmx1g -Drobustunit.bench.weights=$work/weights" -rf json -rff "$work/jmh.json" > "$work/jmh.txt"

echo "== full eps-grid evaluation of the shipped model (FGSM + PGD-20, 10,000 images)" >&2
/usr/bin/time -v "$root/mnist-example/robustunit-mnist" robustness > "$work/grid.txt" 2> "$work/time.txt"

python3 "$here/write_report.py" "$work" "$root/docs/benchmarks.md"
echo "wrote $root/docs/benchmarks.md" >&2
