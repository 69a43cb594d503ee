#!/usr/bin/env bash
# RobustUnit against PyTorch at its best, side by side on this machine, on the same weights and inputs, and writes
# docs/benchmarks.md. Never run it beside another benchmark or build.
#
#   mnist-example/benchmarks/run.sh        # needs Debian's python3-torch, python3-numpy and libopenblas0-pthread
#
# PyTorch at its best: Debian's torch uses whatever libblas.so.3 the alternatives point to. bench_peer.py records the
# BLAS it loaded and exits before measuring if that is the reference (netlib) BLAS. This environment sets
# OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for old OpenBLAS builds; they throttle Debian's OpenBLAS, so they are unset
# for the PyTorch process only. OMP_WAIT_POLICY=PASSIVE keeps torch's idle OpenMP workers from spinning against
# OpenBLAS. Both sides use both cores: torch.set_num_threads(2), and RobustUnit's kernels split batches over the
# common fork-join pool (ND4J, which only the adversarial-training weight update uses, runs OMP_NUM_THREADS=1 as
# under Maven).
#
# Each round runs every measurement once on each side, PyTorch then RobustUnit, so slow phases of a shared machine
# hit both; the report gives the best and the median over the rounds.
#
# Environment: ROUNDS (default 3), PASSES (timed passes per measurement and round, default 3).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${ROUNDS:-3}"
passes="${PASSES:-3}"
work="$root/mnist-example/target/benchmarks"
rm -rf "$work" && mkdir -p "$work"

echo "== building" >&2
(cd "$root" && mvn -q -B -DskipTests package)
# Run from a copy, so that edits and rebuilds during the run cannot change what is measured.
cp -r "$root/mnist-example/target/robustunit-mnist.jar" "$root/mnist-example/target/lib" "$work/"
jar="$work/robustunit-mnist.jar"

torch_side() {
    (cd "$root" && env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE \
        /usr/bin/python3 "$here/bench_peer.py" --threads 2 --passes "$passes" "$@")
}

java_side() {
    (cd "$root" && OMP_NUM_THREADS=1 java -Xmx1536m -cp "$jar" io.robustunit.example.mnist.bench.SideBySide \
        --passes "$passes" "$@")
}

# model, attack, batch sizes[, images per pass where the default (MLP 10,000, LeNet 2,000, ResNet-20 500) is too few]
measurements=(
    "mlp fgsm 1,100,1000,10000"
    "lenet fgsm 1,100,1000"
    "resnet20 fgsm 1,100,1000 1000"
    "mlp pgd20 1000"
    "lenet pgd20 1000"
)

for round in $(seq 1 "$rounds"); do
    for m in "${measurements[@]}"; do
        read -r model attack batches images <<< "$m"
        name="$model-$attack"
        echo "== round $round/$rounds: $name" >&2
        torch_side --model "$model" --attack "$attack" --batch-sizes "$batches" ${images:+--images "$images"} \
            --json-out "$work/r$round-pytorch-$name.json"
        java_side --model "$model" --attack "$attack" --batch-sizes "$batches" ${images:+--images "$images"} \
            --json-out "$work/r$round-robustunit-$name.json"
    done
done

echo "== FGSM adversarial training, one epoch of the MLP on each side (ε 0.1, α 0.5, batch 64)" >&2
for round in $(seq 1 "$rounds"); do
    torch_side --model mlp --adv-train-epochs 1 --json-out "$work/r$round-pytorch-mlp-advtrain.json"
    java_side --model mlp --adv-train-epochs 1 --json-out "$work/r$round-robustunit-mlp-advtrain.json"
done
echo "== FGSM adversarial training, one epoch of LeNet on each side (one round: DL4J's update takes minutes)" >&2
torch_side --model lenet --adv-train-epochs 1 --json-out "$work/r1-pytorch-lenet-advtrain.json"
java_side --model lenet --adv-train-epochs 1 --json-out "$work/r1-robustunit-lenet-advtrain.json"

echo "== AUTO (APGD-CE, APGD-T, Square) on the hardened and the FGSM-trained MLP, 1,000 images, ε 0.1 (JMH)" >&2
(cd "$root" && OMP_NUM_THREADS=1 java -Xmx1g -cp "$jar" org.openjdk.jmh.Main AutoAttackBenchmark -f 1 -wi 1 -i 3 \
    -jvmArgsAppend -Xmx1g -rf json -rff "$work/auto.json" > "$work/auto.txt")
echo "== AUTO on LeNet, 100 images (no PyTorch side: the reference AutoAttack is not part of the peer)" >&2
java_side --model lenet --attack auto --batch-sizes 100 --images 100 --passes 1 \
    --json-out "$work/r1-robustunit-lenet-auto.json"

echo "== full ε-grid evaluation of the shipped MLP and LeNet (FGSM + PGD-20, 10,000 images)" >&2
OMP_NUM_THREADS=1 /usr/bin/time -v java -Xmx1g -jar "$jar" robustness > "$work/grid-mlp.txt" 2> "$work/time-mlp.txt"
OMP_NUM_THREADS=1 /usr/bin/time -v java -Xmx1g -jar "$jar" robustness \
    --model "$root/mnist-example/src/main/resources/models/mnist-lenet.zip" \
    > "$work/grid-lenet.txt" 2> "$work/time-lenet.txt"

/usr/bin/python3 "$here/write_report.py" "$work" "$root/docs/benchmarks.md"   # raw outputs stay in $work
echo "wrote $root/docs/benchmarks.md" >&2
