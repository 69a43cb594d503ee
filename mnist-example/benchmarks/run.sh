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
work="$root/mnist-example/target/benchmarks"
rm -rf "$work" && mkdir -p "$work"

echo "== building" >&2
(cd "$root" && mvn -q -B -DskipTests package)
# Run from a copy, so that edits and rebuilds during the run cannot change what is measured.
cp -r "$root/mnist-example/target/robustunit-mnist.jar" "$root/mnist-example/target/lib" "$work/"
jar="$work/robustunit-mnist.jar"

echo "== PyTorch reference: train its weights, FGSM throughput at batch 1/100/1000/10000, then 5 epochs of" \
     "FGSM adversarial training at eps 0.1" >&2
OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$peer_dir/fgsm_peer.py" --data-dir "$data_dir" \
    --save-weights "$work/weights" --bench-batch-sizes 1,100,1000,10000 --bench-runs 5 \
    --adv-train-epochs 5 --adv-eps 0.1 --json-out "$work/peer.json" > /dev/null

echo "== RobustUnit (JMH) on the same weights" >&2
OMP_NUM_THREADS=1 java -Xmx1g -cp "$jar" org.openjdk.jmh.Main FgsmBenchmark $jmh_opts \
    -jvmArgsAppend "-Xmx1g -Drobustunit.bench.weights=$work/weights" -rf json -rff "$work/jmh.json" > "$work/jmh.txt"

echo "== full eps-grid evaluation of the shipped model (FGSM + PGD-20, 10,000 images)" >&2
OMP_NUM_THREADS=1 /usr/bin/time -v java -Xmx1g -jar "$jar" robustness > "$work/grid.txt" 2> "$work/time.txt"

echo "== RobustUnit: the same adversarial training from the same weights" >&2
OMP_NUM_THREADS=1 java -Xmx1g -jar "$jar" harden --npy-weights "$work/weights" --generator FGSM --epochs 5 \
    --epsilon 0.1 --batch-size 64 --output "$work/hardened.zip" > "$work/harden.txt"

python3 "$here/write_report.py" "$work" "$root/docs/benchmarks.md"   # raw outputs stay in $work
echo "wrote $root/docs/benchmarks.md" >&2
