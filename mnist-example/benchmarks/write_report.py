"""Turns the raw outputs of run.sh into docs/benchmarks.md."""
import json
import platform
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

work, out = Path(sys.argv[1]), Path(sys.argv[2])
peer = json.loads((work / "peer.json").read_text())
jmh = json.loads((work / "jmh.json").read_text())
grid = (work / "grid.txt").read_text()
harden = (work / "harden.txt").read_text()
adv = peer["adv_training"]
time_v = (work / "time.txt").read_text()

ours = {}
for row in jmh:
    p = row["params"]
    iterations = [v for fork in row["primaryMetric"]["rawData"] for v in fork]
    ours[(p["impl"], p["batchSize"])] = (row["primaryMetric"]["score"], max(iterations))
torch = peer["throughput"]["fgsm_torch"]
runs = peer["throughput"]["run_seconds"]["fgsm_torch"]


def cpu_model():
    for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", time_v).group(1)
rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_v).group(1))

lines = [
    "# Benchmarks",
    "",
    f"Measured on {date.today().isoformat()} by `mnist-example/benchmarks/run.sh`, which runs both sides one after",
    "the other on the same machine and the same weights, and writes this page. Rerun it to refresh every number.",
    "",
    "## Machine",
    "",
    f"- CPU: {cpu_model()}, {peer['cpus']} cores; Linux {platform.release()}",
    f"- RobustUnit: {java}, `OMP_NUM_THREADS=1`, `-Xmx1g`, dense kernel on the common fork-join pool",
    f"- PyTorch {peer['versions']['torch']} (Debian), {peer['torch_threads']} threads, `OMP_WAIT_POLICY=PASSIVE`",
    "",
    "## FGSM throughput",
    "",
    "Images per second attacking all 10,000 MNIST test images with untargeted FGSM (ε = 0.1) at the given batch",
    "size: forward pass, input gradient, sign step and clip, as the reference's `fgsm()` does. The weights are",
    "the ones the reference trains (5 epochs, batch 64, seed 42) and loads into RobustUnit's reference MLP.",
    "Both sides are shown two ways: the best run (what `fgsm_peer.py` reports: the fastest of",
    f"{peer['throughput']['runs']} timed runs after a warm-up; for RobustUnit the fastest JMH measurement iteration)",
    "and the mean (JMH's score; for PyTorch, 10,000 images over the mean time of its runs). On this 2-core",
    "machine single runs scatter, so compare best with best and mean with mean.",
    "`DL4J calculateGradients` is the same attack through DL4J's own backprop (mean), for context.",
    "",
    "| batch | RobustUnit best | PyTorch best | ratio | RobustUnit mean | PyTorch mean | ratio | DL4J calculateGradients |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
]
for bs in ["1", "100", "1000", "10000"]:
    k_mean, k_best = ours[("kernel", bs)]
    d_mean, _ = ours[("dl4j", bs)]
    t_best = torch[bs]
    t_runs = runs[bs]["runs"]
    t_mean = 10000 / (sum(t_runs) / len(t_runs))
    lines.append(f"| {bs} | {k_best:,.0f} | {t_best:,.0f} | {k_best / t_best:.2f}× | {k_mean:,.0f} | {t_mean:,.0f} "
                 f"| {k_mean / t_mean:.2f}× | {d_mean:,.0f} |")
lines += [
    "",
    "PyTorch's individual runs (seconds for 10,000 images): "
    + "; ".join(f"batch {bs}: " + ", ".join(f"{s:.3f}" for s in runs[bs]["runs"]) for bs in ["1", "100", "1000", "10000"]),
    "",
    "Method notes (images per second throughout):",
    "- RobustUnit's dense kernel computes only what FGSM needs (no weight gradients), skips the zero pixels and",
    "  inactive ReLU units, and applies the sign step while each gradient is in cache. Rows of a batch are split",
    "  over the fork-join pool, so batches of 32 or more use both cores.",
    "- The reference README lists 10.9k / 238k / 306k images/s for PyTorch at batch 1 / 100 / 10000 on this kind of",
    "  machine; the PyTorch column above is what it did in this run, which is the number to compare with.",
    "",
    "## Full ε-grid evaluation",
    "",
    "`mnist-example/robustunit-mnist robustness` on the shipped model: FGSM and PGD-20 at ε = 0.05 … 0.3 over the",
    "10,000 test images, clean and adversarial predictions included, plus JVM start-up and model loading.",
    "",
    f"- wall time: {wall} (from `/usr/bin/time -v`)",
    f"- peak RSS: {rss_kb / 1024:.0f} MB (target ≤ 1 GB)",
    "",
    "```",
    grid.rstrip(),
    "```",
    "",
]
ours_train_text = re.search(r"training took (\S+);", harden).group(1)
table = harden[harden.index("ε  "):].rstrip()
clean_after = re.search(r"^0 \(clean\)\s+\S+\s+(\S+)", table, re.M).group(1)
fgsm_after = re.search(r"^0\.1\s+\S+\s+(\S+)", table, re.M).group(1)
lines += [
    "## Adversarial training",
    "",
    "Both sides start from the reference's weights and run 5 epochs of FGSM adversarial training at ε = 0.1,",
    "batch 64, Adam 0.001, with the mixed loss 0.5·J(x) + 0.5·J(x_adv); x_adv is made from the current weights",
    "for every minibatch. Training time excludes evaluation.",
    "",
    "| | PyTorch | RobustUnit |",
    "|---|---:|---:|",
    f"| training wall time (5 epochs) | {adv['seconds']:.1f} s | {ours_train_text} |",
    f"| clean accuracy after | {100 * adv['after']['clean']:.2f}% | {clean_after} |",
    f"| FGSM accuracy at ε = 0.1 after | {100 * adv['after']['adv']['0.1']:.2f}% | {fgsm_after} |",
    "",
    "RobustUnit's before/after table (10,000 test images; PGD-20 with 2.5·ε/20 steps, no random start):",
    "",
    "```",
    table,
    "```",
    "",
    "PyTorch after training, FGSM accuracy at ε = 0.05 … 0.3: "
    + " / ".join(f"{100 * adv['after']['adv'][k]:.2f}%" for k in sorted(adv['after']['adv'], key=float)),
    "",
]
notes = Path(__file__).with_name("notes.md")
if notes.is_file():
    lines += [notes.read_text().rstrip(), ""]
out.write_text("\n".join(lines))
