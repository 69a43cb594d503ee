#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""PyTorch side of RobustUnit's side-by-side attack benchmark: "PyTorch at its best".

What it measures, for one model per invocation:

* attack mode (default): throughput of untargeted L-infinity attacks exactly as RobustUnit defines them, with
  true labels, model in eval mode and parameters frozen:
    - FGSM, eps 0.1: x_adv = clamp(x + eps * sign(d CE(model(x), y) / dx), 0, 1)
    - PGD-20, eps 0.1: 20 steps of size 2.5 * eps / 20, no random start; after every step the iterate is
      projected onto the eps-ball around x and clamped to [0, 1].
  For every batch size: one untimed warm-up pass, then --passes timed passes over the same --images images.
  Only attack generation is timed (no accuracy evaluation). images/s = images / seconds of the best pass.
* adversarial-training mode (--adv-train-epochs N, mlp and lenet): seconds per epoch of FGSM adversarial training
  from the shipped weights: loss 0.5 * CE(x) + 0.5 * CE(x_adv), x_adv = FGSM at eps 0.1 from the current weights,
  Adam lr 1e-3, batch 64 (last partial batch kept), one torch.Generator seeded 42 shuffles all 60,000 training
  images each epoch.

Models and inputs (paths relative to the repository root):

* mlp: 784-128-10 ReLU MLP from mnist-example/src/test/resources/peer (W1 (784,128), b1, W2 (128,10), b2, DL4J
  orientation: logits = relu(x @ W1 + b1) @ W2 + b2); the first --images MNIST test images, [N, 784].
* lenet: cnn_peer.py's "lenet" from mnist-example/src/test/resources/peer/cnn/lenet; the first --images MNIST test
  images, [N, 1, 28, 28].
* resnet20: cnn_peer.py's "resnet20" from mnist-example/src/test/resources/peer/cnn/resnet20; its 8 inputs.npy
  images [8, 3, 32, 32] tiled to --images, image i = inputs[i % 8] with label i % 10.
MNIST pixels are uint8 / 255 as float32, read from the IDX files (plain or gzipped) in
mnist-example/src/main/resources/mnist. The networks are built by cnn_peer.py's GraphNet from its ARCHS entries,
so both scripts describe the very same networks.

Run it from anywhere with Debian's interpreter, alone on the machine, like this:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 \\
        mnist-example/benchmarks/bench_peer.py --model lenet --attack fgsm --batch-sizes 1,100,1000 \\
        --json-out /tmp/lenet-fgsm.json
    ... bench_peer.py --model mlp --adv-train-epochs 2 --json-out /tmp/mlp-advtrain.json

The BLAS trap. Debian's torch does its matrix products in whatever libblas.so.3 the alternatives system selects.
Without libopenblas0-pthread that is the reference (netlib) BLAS, more than an order of magnitude slower, and every
number would understate PyTorch. So, after one small matmul, the script lists the BLAS/OpenMP/oneDNN libraries
mapped into this process (/proc/self/maps) and exits with status 3, before measuring anything, if the reference BLAS
is the one in use. OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (set in this environment for old OpenBLAS builds) throttle
Debian's OpenBLAS 0.3.21, and torch's spinning OpenMP workers fight OpenBLAS on 2 cores, hence the env line above.
The script changes no environment variable itself; it records every OMP_*, OPENBLAS_* and MKL_* variable it saw,
torch's version, threads, oneDNN availability, parallel and build configuration, the loaded libraries and the peak
resident set size, so that a report can show under which conditions the numbers were taken.

Output: one JSON object (--json-out) in the schema that the Java side writes too, and one summary line per result
on stderr.
"""

import argparse
import gzip
import json
import os
import platform
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from cnn_peer import ARCHS, GraphNet  # noqa: E402  (needs HERE on sys.path)

SEED = 42
EPSILON = 0.1
PGD_STEPS = 20
PGD_STEP_SIZE = 2.5 * EPSILON / PGD_STEPS
TRAIN_BATCH = 64
TRAIN_LR = 1e-3
MODELS = ("mlp", "lenet", "resnet20")
DEFAULT_IMAGES = {"mlp": 10000, "lenet": 2000, "resnet20": 500}
DEFAULT_BATCH_SIZES = (1, 100, 1000)
DEFAULT_DATA = os.path.join(REPO, "mnist-example", "src", "main", "resources", "mnist")
PEER = os.path.join(REPO, "mnist-example", "src", "test", "resources", "peer")
DEFAULT_WEIGHTS = {"mlp": PEER, "lenet": os.path.join(PEER, "cnn", "lenet"),
                   "resnet20": os.path.join(PEER, "cnn", "resnet20")}
LIBRARY_KEYS = ("blas", "openblas", "mkl", "dnnl", "gomp", "omp")
ENV_PREFIXES = ("OMP_", "OPENBLAS_", "MKL_")
EXIT_REFERENCE_BLAS = 3


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def fail(message, status=2):
    log("bench_peer.py: error: " + message)
    sys.exit(status)


# --------------------------------------------------------------------------- environment and the BLAS trap

def mapped_libraries(maps_text):
    """Unique paths of the mapped shared libraries whose file name contains one of LIBRARY_KEYS, in map order."""
    found = []
    for line in maps_text.splitlines():
        fields = line.split(None, 5)
        if len(fields) < 6 or not fields[5].startswith("/"):
            continue
        path = fields[5].strip()
        name = os.path.basename(path).lower()
        if ".so" in name and any(k in name for k in LIBRARY_KEYS) and path not in found:
            found.append(path)
    return found


def reference_blas(libraries):
    """The path of the reference (netlib) BLAS if it is the BLAS in use, else None.

    Debian installs the reference BLAS as .../blas/libblas.so.3 (and .../blas/libcblas.so.3); OpenBLAS's
    alternatives live in .../openblas-<variant>/. It is the BLAS in use when it is mapped and no OpenBLAS or MKL
    library is."""
    names = [os.path.basename(p).lower() for p in libraries]
    if any("openblas" in n or "mkl" in n for n in names):
        return None
    for path, name in zip(libraries, names):
        if name.startswith(("libblas.so", "libcblas.so")) and os.path.basename(os.path.dirname(path)) == "blas":
            return path
    return None


def environment(threads, argv):
    """Records the conditions of the measurement; exits with status 3 if torch runs on the reference BLAS."""
    torch.set_num_threads(threads)
    a = torch.ones(64, 64)
    (a @ a).sum().item()
    with open("/proc/self/maps") as f:
        libraries = mapped_libraries(f.read())
    slow = reference_blas(libraries)
    if slow is not None:
        log("bench_peer.py: error: torch is running on the reference (netlib) BLAS %s, which would make every "
            "PyTorch number an order of magnitude too slow. Install OpenBLAS (apt-get install libopenblas0-pthread; "
            "check with update-alternatives --display libblas.so.3-x86_64-linux-gnu) and run again. "
            "Loaded libraries: %s" % (slow, ", ".join(libraries)))
        sys.exit(EXIT_REFERENCE_BLAS)
    return {
        "argv": argv,
        "python": sys.executable + " " + platform.python_version(),
        "numpy_version": np.__version__,
        "torch_version": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "mkldnn_available": torch.backends.mkldnn.is_available(),
        "parallel_info": torch.__config__.parallel_info(),
        "config": torch.__config__.show(),
        "loaded_libraries": libraries,
        "env": {k: v for k, v in sorted(os.environ.items()) if k.startswith(ENV_PREFIXES)},
        "cpus": os.cpu_count(),
    }


# --------------------------------------------------------------------------- data and weights

def read_idx(directory, name, magic, item_dims, limit):
    """The first `limit` items (all if None), each of `item_dims`, of the unsigned-byte IDX file `name`[.gz]."""
    for path in (os.path.join(directory, name), os.path.join(directory, name + ".gz")):
        if os.path.isfile(path):
            break
    else:
        fail("no %s or %s.gz in %s (--data-dir)" % (name, name, directory))
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        header = f.read(4)
        if len(header) != 4 or int.from_bytes(header, "big") != magic:
            fail("%s is not an IDX file of magic %d" % (path, magic))
        ndim = header[3]
        dims = [int.from_bytes(f.read(4), "big") for _ in range(ndim)]
        if dims[1:] != list(item_dims):
            fail("%s holds items of %s, expected %s" % (path, dims[1:], list(item_dims)))
        count = dims[0] if limit is None else limit
        if count > dims[0]:
            fail("%s holds %d items, %d requested" % (path, dims[0], count))
        size = count * int(np.prod(item_dims, dtype=np.int64))
        data = f.read(size)
    if len(data) != size:
        fail("%s is truncated: %d of %d bytes" % (path, len(data), size))
    return np.frombuffer(data, dtype=np.uint8).reshape([count] + list(item_dims))


def mnist(directory, split, limit, shape):
    """(images as uint8 / 255 float32 in `shape`, int64 labels) of split 'train' or 't10k'."""
    images = read_idx(directory, split + "-images-idx3-ubyte", 2051, (28, 28), limit)
    labels = read_idx(directory, split + "-labels-idx1-ubyte", 2049, (), len(images))
    x = torch.from_numpy(images.astype(np.float32) / np.float32(255.0)).reshape((len(images),) + shape)
    return x, torch.from_numpy(labels.astype(np.int64))


def load_npy(directory, name, shape):
    path = os.path.join(directory, name + ".npy")
    if not os.path.isfile(path):
        fail("missing weight file %s (--weights-dir)" % path)
    a = np.load(path, allow_pickle=False)
    if a.dtype != np.float32 or tuple(a.shape) != tuple(shape):
        fail("%s is %s %s, expected float32 %s" % (path, a.dtype, list(a.shape), list(shape)))
    return torch.from_numpy(a)


def build_model(name, weights_dir):
    if name == "mlp":
        model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
        with torch.no_grad():
            model[0].weight.copy_(load_npy(weights_dir, "W1", (784, 128)).T)
            model[0].bias.copy_(load_npy(weights_dir, "b1", (128,)))
            model[2].weight.copy_(load_npy(weights_dir, "W2", (128, 10)).T)
            model[2].bias.copy_(load_npy(weights_dir, "b2", (10,)))
        return model
    nodes, output, _, _ = ARCHS[name]()
    model = GraphNet(nodes, output)
    state = {k: load_npy(weights_dir, k, v.shape) for k, v in model.state_dict().items()
             if not k.endswith("num_batches_tracked")}
    model.load_state_dict(state, strict=False)
    return model


def attack_inputs(name, data_dir, weights_dir, n):
    if name == "resnet20":
        tiles = load_npy(weights_dir, "inputs", (8, 3, 32, 32))
        i = torch.arange(n)
        return tiles[i % 8].contiguous(), i % 10
    return mnist(data_dir, "t10k", n, (784,) if name == "mlp" else (1, 28, 28))


# --------------------------------------------------------------------------- attacks

def input_gradient_sign(model, x, y):
    """sign(d CE(model(x), y) / dx), per example (the losses are summed over the batch); a new tensor."""
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(F.cross_entropy(model(x), y, reduction="sum"), x)
    return g.sign_()


def fgsm(model, x, y):
    """clamp(x + eps * sign(gradient), 0, 1)."""
    return input_gradient_sign(model, x, y).mul_(EPSILON).add_(x).clamp_(0.0, 1.0)


def pgd20(model, x, y):
    """20 signed-gradient steps of 2.5 * eps / 20 from x itself, each projected onto the eps-ball and [0, 1]."""
    # The projection onto the eps-ball followed by the clamp to [0, 1] is a clamp to these bounds (x is in [0, 1]).
    lo, hi = (x - EPSILON).clamp_(min=0.0), (x + EPSILON).clamp_(max=1.0)
    xa = x
    for _ in range(PGD_STEPS):
        xa = torch.max(torch.min(input_gradient_sign(model, xa, y).mul_(PGD_STEP_SIZE).add_(xa), hi), lo)
    return xa


ATTACKS = {"fgsm": fgsm, "pgd20": pgd20}


def attack_pass(attack, model, x, y, batch):
    for i in range(0, len(x), batch):
        attack(model, x[i:i + batch], y[i:i + batch])


def bench_attack(args, model, x, y, batch):
    model.eval()
    attack = ATTACKS[args.attack]
    attack_pass(attack, model, x, y, batch)
    seconds = []
    for _ in range(args.passes):
        t0 = time.perf_counter()
        attack_pass(attack, model, x, y, batch)
        seconds.append(time.perf_counter() - t0)
    return {"model": args.model, "attack": args.attack, "batch": batch, "images": len(x),
            "best_images_per_s": len(x) / min(seconds), "pass_seconds": seconds}


# --------------------------------------------------------------------------- adversarial training

def adversarial_training(args, model):
    shape = (784,) if args.model == "mlp" else (1, 28, 28)
    x, y = mnist(args.data_dir, "train", args.train_limit, shape)
    opt = torch.optim.Adam(model.parameters(), lr=TRAIN_LR)
    gen = torch.Generator().manual_seed(SEED)
    model.train()
    seconds = []
    for epoch in range(args.adv_train_epochs):
        t0 = time.perf_counter()
        total = 0.0
        for idx in torch.randperm(len(x), generator=gen).split(TRAIN_BATCH):
            xb, yb = x[idx], y[idx]
            xa = fgsm(model, xb, yb)
            loss = 0.5 * F.cross_entropy(model(xb), yb) + 0.5 * F.cross_entropy(model(xa), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        seconds.append(time.perf_counter() - t0)
        log("pytorch %s adversarial training epoch %d/%d: %.2f s, mean loss %.4f (%d images)"
            % (args.model, epoch + 1, args.adv_train_epochs, seconds[-1], total / len(x), len(x)))
    return {"model": args.model, "epoch_seconds": seconds, "batch": TRAIN_BATCH, "epsilon": EPSILON}


# --------------------------------------------------------------------------- command line

def positive_int(text):
    try:
        v = int(text)
    except ValueError:
        v = 0
    if v < 1:
        raise argparse.ArgumentTypeError("%r is not a positive integer" % text)
    return v


def non_negative_int(text):
    try:
        v = int(text)
    except ValueError:
        v = -1
    if v < 0:
        raise argparse.ArgumentTypeError("%r is not a non-negative integer" % text)
    return v


def batch_sizes(text):
    sizes = [positive_int(s) for s in text.split(",")]
    if len(set(sizes)) != len(sizes):
        raise argparse.ArgumentTypeError("%r repeats a batch size" % text)
    return sizes


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", choices=MODELS, required=True)
    ap.add_argument("--attack", choices=sorted(ATTACKS), default="fgsm",
                    help="attack mode only, like --batch-sizes, --images and --passes")
    ap.add_argument("--batch-sizes", type=batch_sizes,
                    help="comma-separated, each at most --images (default: those of 1,100,1000 that are)")
    ap.add_argument("--images", type=positive_int,
                    help="images attacked per timed pass (default: %s)"
                         % ", ".join("%s %d" % kv for kv in DEFAULT_IMAGES.items()))
    ap.add_argument("--passes", type=positive_int, default=3, help="timed passes after one warm-up pass")
    ap.add_argument("--threads", type=positive_int, default=2, help="torch.set_num_threads")
    ap.add_argument("--adv-train-epochs", type=non_negative_int, default=0,
                    help="mlp and lenet: time this many epochs of FGSM adversarial training instead of attacks")
    ap.add_argument("--train-limit", type=positive_int,
                    help="adversarial training on the first N training images only (for quick checks; default all)")
    ap.add_argument("--data-dir", default=DEFAULT_DATA, help="MNIST IDX files, plain or .gz")
    ap.add_argument("--weights-dir", help="default: the model's weights under mnist-example/src/test/resources/peer")
    ap.add_argument("--json-out", metavar="FILE")
    args = ap.parse_args(argv)
    if args.images is None:
        args.images = DEFAULT_IMAGES[args.model]
    if args.batch_sizes is None:
        args.batch_sizes = [b for b in DEFAULT_BATCH_SIZES if b <= args.images]
    too_big = [b for b in args.batch_sizes if b > args.images]
    if too_big:
        ap.error("--batch-sizes %s exceed(s) --images %d" % (",".join(map(str, too_big)), args.images))
    if args.model == "mlp" or args.model == "lenet":
        if args.images > 10000:
            ap.error("--images %d: MNIST has 10000 test images" % args.images)
    if args.adv_train_epochs > 0 and args.model not in ("mlp", "lenet"):
        ap.error("--adv-train-epochs is for mlp and lenet, not %s" % args.model)
    if args.train_limit is not None and args.adv_train_epochs == 0:
        ap.error("--train-limit needs --adv-train-epochs")
    if args.train_limit is not None and args.train_limit > 60000:
        ap.error("--train-limit %d: MNIST has 60000 training images" % args.train_limit)
    if args.weights_dir is None:
        args.weights_dir = DEFAULT_WEIGHTS[args.model]
    if args.json_out and not os.path.isdir(os.path.dirname(os.path.abspath(args.json_out))):
        ap.error("--json-out %s: no such directory" % args.json_out)
    return args


def main(argv):
    args = parse_args(argv)
    env = environment(args.threads, argv)
    log("pytorch %s, %d threads, libraries: %s" % (env["torch_version"], env["torch_threads"],
                                                   ", ".join(env["loaded_libraries"])))
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    model = build_model(args.model, args.weights_dir)
    results, adv_train = [], []
    if args.adv_train_epochs > 0:
        adv_train.append(adversarial_training(args, model))
    else:
        for p in model.parameters():
            p.requires_grad_(False)
        x, y = attack_inputs(args.model, args.data_dir, args.weights_dir, args.images)
        for batch in args.batch_sizes:
            r = bench_attack(args, model, x, y, batch)
            results.append(r)
            log("pytorch %s %s batch %d: %.0f images/s (best of %d passes over %d images; seconds %s)"
                % (r["model"], r["attack"], batch, r["best_images_per_s"], args.passes, r["images"],
                   " ".join("%.3f" % s for s in r["pass_seconds"])))
    out = {"side": "pytorch", "model": args.model, "environment": env, "results": results, "adv_train": adv_train,
           "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    log("peak RSS %d KiB" % out["peak_rss_kib"])
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(out, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
