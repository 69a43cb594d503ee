#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""PyTorch peer for RobustUnit's DL4J convolutional / graph networks.

Run from the repository root with Debian's interpreter:

    /usr/bin/python3 mnist-example/benchmarks/cnn_peer.py [--arch NAME ...]
        [--out DIR] [--data-dir DIR]

Defaults: every architecture, ``--out mnist-example/src/test/resources/peer/cnn``,
``--data-dir ../shared/datasets/mnist``.  See ``cnn_peer.md`` next to this file.

For each architecture the script builds (and, for the five MNIST networks,
trains) a small classifier, then writes into ``<out>/<arch>/``:

* ``<layer>.<param>.npy`` : every parameter / BatchNorm buffer, float32, C
  order, in PyTorch layout (Linear [out,in], Conv2d [out,in,kh,kw]);
* ``arch.json``           : the layer graph with every hyper-parameter, how it
  was trained, and the reference numbers (clean + FGSM accuracy);
* ``probs16.npy`` / ``logits16.npy`` / ``grad4.npy`` (MNIST networks) or
  ``inputs.npy`` / ``logits8.npy`` / ``probs8.npy`` / ``grad8.npy`` (resnet20).

Every network is described by a list of *nodes* (the same list that is
written to arch.json) and the torch model is built from that list by
``GraphNet``; so arch.json is, by construction, the network that produced the
numbers.

Everything is seeded: the result of one architecture does not depend on which
other architectures are run in the same invocation.
"""

import argparse
import copy
import gzip
import json
import os
import random
import re
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 42
LR = 1e-3
BATCH = 64
EVAL_BATCH = 1000
EPSILONS = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3]

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(REPO, "mnist-example", "src", "test", "resources", "peer", "cnn")
DEFAULT_DATA = os.path.join(os.path.dirname(REPO), "shared", "datasets", "mnist")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- data

def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_mnist(d):
    def images(name):
        a = read_idx(os.path.join(d, name))
        return torch.from_numpy((a.astype(np.float32) / np.float32(255.0)).reshape(-1, 1, 28, 28).copy())

    def labels(name):
        return torch.from_numpy(read_idx(os.path.join(d, name)).astype(np.int64))

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


# --------------------------------------------------------------------------- activations

ACTIVATIONS = {
    # name -> (constants, formula, DL4J Activation enum that matches)
    "relu": ({}, "max(0, x)", "RELU"),
    "tanh": ({}, "tanh(x)", "TANH"),
    "sigmoid": ({}, "1 / (1 + exp(-x))", "SIGMOID"),
    "elu": ({"alpha": 1.0}, "x if x > 0 else alpha * (exp(x) - 1)", "ELU (alpha 1.0)"),
    "softplus": ({"beta": 1.0, "threshold": 20.0},
                 "x if beta*x > threshold else log(1 + exp(beta*x)) / beta",
                 "SOFTPLUS (log(1+exp(x)), no threshold; differs by < exp(-20) above x = 20)"),
    "silu": ({}, "x * sigmoid(x)", "SWISH"),
    "relu6": ({}, "min(max(0, x), 6)", "RELU6"),
    "hardtanh": ({"min_val": -1.0, "max_val": 1.0}, "min(max(x, -1), 1)", "HARDTANH"),
    "selu": ({"alpha": 1.6732632423543772848170429916717, "scale": 1.0507009873554804934193349852946},
             "scale * (x if x > 0 else alpha * (exp(x) - 1))", "SELU"),
    "leakyrelu": (None, "x if x >= 0 else negative_slope * x", "LEAKYRELU / ActivationLReLU(alpha = negative_slope)"),
}


def act_node(name, fn, **consts):
    c, formula, dl4j = ACTIVATIONS[fn]
    consts = dict(c if c is not None else {}, **consts)
    return {"name": name, "type": "activation", "function": fn, "constants": consts,
            "formula": formula, "dl4j": dl4j}


def act_module(node):
    fn, c = node["function"], node["constants"]
    if fn == "relu":
        return nn.ReLU()
    if fn == "tanh":
        return nn.Tanh()
    if fn == "sigmoid":
        return nn.Sigmoid()
    if fn == "elu":
        return nn.ELU(alpha=c["alpha"])
    if fn == "softplus":
        return nn.Softplus(beta=c["beta"], threshold=c["threshold"])
    if fn == "silu":
        return nn.SiLU()
    if fn == "relu6":
        return nn.ReLU6()
    if fn == "hardtanh":
        return nn.Hardtanh(c["min_val"], c["max_val"])
    if fn == "selu":
        m = nn.SELU()
        # torch's SELU constants are hard-coded; make sure the ones recorded agree.
        assert abs(c["alpha"] - 1.6732632423543772848170429916717) < 1e-15
        assert abs(c["scale"] - 1.0507009873554804934193349852946) < 1e-15
        return m
    if fn == "leakyrelu":
        return nn.LeakyReLU(negative_slope=c["negative_slope"])
    raise ValueError(fn)


# --------------------------------------------------------------------------- node builders
# Padding is always written as [top, bottom, left, right].

def conv(name, cin, cout, k, stride=1, padding=(0, 0, 0, 0), dilation=1, bias=True, same=False):
    n = {"name": name, "type": "conv2d", "in_channels": cin, "out_channels": cout,
         "kernel": [k, k], "stride": [stride, stride], "padding": list(padding),
         "dilation": [dilation, dilation], "bias": bias, "groups": 1}
    t, b, l, r = padding
    if t != b or l != r:
        n["padding_impl"] = ("explicit zero pad F.pad(x, (left=%d, right=%d, top=%d, bottom=%d)) "
                             "followed by Conv2d(padding=0)" % (l, r, t, b))
    if same:
        n["convolution_mode"] = "Same (TensorFlow/DL4J ConvolutionMode.Same: extra padding row/column at bottom/right)"
    else:
        n["convolution_mode"] = "Truncate/explicit padding (DL4J ConvolutionMode.Truncate with padding, or Strict)"
    return n


def bn(name, c):
    return {"name": name, "type": "batchnorm2d", "num_features": c, "eps": 1e-5, "momentum": 0.1,
            "affine": True, "track_running_stats": True,
            "inference": "y = (x - running_mean) / sqrt(running_var + eps) * weight + bias",
            "momentum_note": "torch: running = (1 - momentum) * running + momentum * batch_stat; "
                             "DL4J decay = 1 - momentum = 0.9; running_var uses the unbiased batch variance"}


def maxpool(name, k, s):
    return {"name": name, "type": "maxpool2d", "kernel": [k, k], "stride": [s, s],
            "padding": [0, 0, 0, 0], "dilation": [1, 1], "ceil_mode": False}


def avgpool(name, k, s):
    return {"name": name, "type": "avgpool2d", "kernel": [k, k], "stride": [s, s],
            "padding": [0, 0, 0, 0], "ceil_mode": False, "count_include_pad": True}


def linear(name, cin, cout):
    return {"name": name, "type": "linear", "in_features": cin, "out_features": cout, "bias": True,
            "formula": "y = x @ weight.T + bias"}


def flatten(name, order):
    return {"name": name, "type": "flatten", "order": order,
            "impl": ("x.reshape(N, -1) of NCHW (C,H,W order)" if order == "CHW"
                     else "x.permute(0, 2, 3, 1).reshape(N, -1) (H,W,C order)")}


def gap(name):
    return {"name": name, "type": "global_avg_pool", "dims": [2, 3], "impl": "x.mean(dim=(2, 3))"}


def chain(nodes):
    """Give every node without explicit inputs the previous node as its input."""
    prev = "input"
    for n in nodes:
        n.setdefault("inputs", [prev])
        prev = n["name"]
    return nodes


# --------------------------------------------------------------------------- the generic network

class GraphNet(nn.Module):
    def __init__(self, nodes, output):
        super().__init__()
        self.nodes = nodes
        self.output = output
        for n in nodes:
            t = n["type"]
            if t == "conv2d":
                tp, bt, lf, rt = n["padding"]
                sym = tp == bt and lf == rt
                m = nn.Conv2d(n["in_channels"], n["out_channels"], tuple(n["kernel"]), stride=tuple(n["stride"]),
                              padding=(tp, lf) if sym else 0, dilation=tuple(n["dilation"]), bias=n["bias"])
                m._explicit_pad = None if sym else (lf, rt, tp, bt)
            elif t == "batchnorm2d":
                m = nn.BatchNorm2d(n["num_features"], eps=n["eps"], momentum=n["momentum"])
            elif t == "linear":
                m = nn.Linear(n["in_features"], n["out_features"], bias=n["bias"])
            elif t == "activation":
                m = act_module(n)
            elif t == "maxpool2d":
                m = nn.MaxPool2d(tuple(n["kernel"]), stride=tuple(n["stride"]))
            elif t == "avgpool2d":
                m = nn.AvgPool2d(tuple(n["kernel"]), stride=tuple(n["stride"]))
            elif t == "dropout":
                m = nn.Dropout(p=n["p"])
            elif t == "zeropad2d":
                tp, bt, lf, rt = n["padding"]
                m = nn.ZeroPad2d((lf, rt, tp, bt))
            elif t in ("flatten", "global_avg_pool", "add", "concat"):
                m = None
            else:
                raise ValueError(t)
            if m is not None:
                self.add_module(n["name"], m)

    def forward(self, x):
        vals = {"input": x}
        for n in self.nodes:
            t = n["type"]
            ins = [vals[i] for i in n["inputs"]]
            if t == "add":
                y = ins[0]
                for o in ins[1:]:
                    y = y + o
            elif t == "concat":
                y = torch.cat(ins, dim=n["axis"])
            elif t == "flatten":
                z = ins[0]
                y = z.reshape(z.shape[0], -1) if n["order"] == "CHW" else z.permute(0, 2, 3, 1).reshape(z.shape[0], -1)
            elif t == "global_avg_pool":
                y = ins[0].mean(dim=(2, 3))
            else:
                m = getattr(self, n["name"])
                z = ins[0]
                if t == "conv2d" and m._explicit_pad is not None:
                    z = F.pad(z, m._explicit_pad)
                y = m(z)
            vals[n["name"]] = y
        return vals[self.output]


# --------------------------------------------------------------------------- architectures

def arch_lenet():
    return chain([
        conv("conv1", 1, 20, 5), act_node("relu1", "relu"), maxpool("pool1", 2, 2),
        conv("conv2", 20, 50, 5), act_node("relu2", "relu"), maxpool("pool2", 2, 2),
        flatten("flatten", "CHW"),
        linear("fc1", 800, 500), act_node("relu3", "relu"),
        linear("fc2", 500, 10),
    ]), "fc2", 2, "LeNet-5 style: valid convolutions with bias, ReLU, 2x2 max pooling, NCHW (C,H,W) flatten, dense layers"


def arch_bn_cnn():
    return chain([
        conv("conv1", 1, 16, 3, padding=(1, 1, 1, 1), bias=False), bn("bn1", 16), act_node("relu1", "relu"),
        conv("conv2", 16, 32, 3, stride=2, padding=(0, 1, 0, 1), bias=False, same=True),
        bn("bn2", 32), act_node("relu2", "relu"),
        avgpool("avgpool", 2, 2),
        {"name": "dropout", "type": "dropout", "p": 0.25,
         "note": "p = drop probability (torch); identity at inference; DL4J Dropout(0.75) takes the RETAIN probability"},
        conv("conv3", 32, 32, 3, dilation=2), act_node("lrelu", "leakyrelu", negative_slope=0.01),
        {"name": "zeropad", "type": "zeropad2d", "padding": [1, 1, 1, 1],
         "note": "zero padding (not -inf) before max pooling; the values can be negative after LeakyReLU"},
        maxpool("maxpool", 3, 2),
        gap("gap"),
        linear("fc", 32, 10),
    ]), "fc", 2, ("BatchNorm (inference = running statistics), bias-free convs, asymmetric SAME padding with stride 2, "
                  "average pooling, dropout, dilated convolution, LeakyReLU, zero-padding layer + 3x3/2 max pooling, "
                  "global average pooling")


def arch_nhwc_cnn():
    return chain([
        conv("conv", 1, 8, 3), act_node("relu", "relu"), maxpool("pool", 2, 2),
        flatten("flatten", "HWC"),
        linear("fc", 1352, 10),
    ]), "fc", 1, "channels-last (H,W,C) flatten before a dense layer: fc.weight columns are indexed (h*13 + w)*8 + c"


def arch_activations():
    nodes = [flatten("flatten", "CHW")]
    nodes[0]["impl"] = "x.reshape(N, 784) (row-major 28x28, single channel)"
    acts = [("tanh", {}), ("sigmoid", {}), ("elu", {}), ("softplus", {}), ("silu", {}), ("relu6", {}),
            ("hardtanh", {}), ("selu", {}), ("leakyrelu", {"negative_slope": 0.2})]
    for i, (fn, c) in enumerate(acts, start=1):
        nodes.append(linear("fc%d" % i, 784 if i == 1 else 64, 64))
        nodes.append(act_node("act%d_%s" % (i, fn), fn, **c))
    nodes.append(linear("fc10", 64, 10))
    return chain(nodes), "fc10", 2, ("MLP exercising tanh, sigmoid, ELU, softplus, SiLU/swish, ReLU6, hardtanh, "
                                     "SELU and LeakyReLU activations")


def arch_resnet():
    n = [
        conv("stem", 1, 16, 3, padding=(1, 1, 1, 1), bias=False), bn("stem_bn", 16), act_node("stem_relu", "relu"),
        # block 1: identity shortcut
        conv("b1_conv1", 16, 16, 3, padding=(1, 1, 1, 1), bias=False), bn("b1_bn1", 16), act_node("b1_relu1", "relu"),
        conv("b1_conv2", 16, 16, 3, padding=(1, 1, 1, 1), bias=False), bn("b1_bn2", 16),
    ]
    chain(n)
    n += [
        {"name": "b1_add", "type": "add", "inputs": ["b1_bn2", "stem_relu"]},
        act_node("b1_relu2", "relu"),
    ]
    n[-1]["inputs"] = ["b1_add"]
    b2 = chain([
        conv("b2_conv1", 16, 32, 3, stride=2, padding=(1, 1, 1, 1), bias=False), bn("b2_bn1", 32),
        act_node("b2_relu1", "relu"),
        conv("b2_conv2", 32, 32, 3, padding=(1, 1, 1, 1), bias=False), bn("b2_bn2", 32),
    ])
    b2[0]["inputs"] = ["b1_relu2"]
    proj = [conv("b2_proj", 16, 32, 1, stride=2, bias=False), bn("b2_proj_bn", 32)]
    proj[0]["inputs"] = ["b1_relu2"]
    proj[1]["inputs"] = ["b2_proj"]
    n += b2 + proj
    n += [
        {"name": "b2_add", "type": "add", "inputs": ["b2_bn2", "b2_proj_bn"]},
        dict(act_node("b2_relu2", "relu"), inputs=["b2_add"]),
        dict(conv("br_a", 32, 16, 1), inputs=["b2_relu2"]),
        dict(act_node("br_a_relu", "relu"), inputs=["br_a"]),
        dict(conv("br_b", 32, 16, 3, padding=(1, 1, 1, 1)), inputs=["b2_relu2"]),
        dict(act_node("br_b_relu", "relu"), inputs=["br_b"]),
        {"name": "concat", "type": "concat", "axis": 1, "inputs": ["br_a_relu", "br_b_relu"],
         "note": "channels: br_a 0..15, br_b 16..31 (DL4J MergeVertex order = input order)"},
        dict(gap("gap"), inputs=["concat"]),
        dict(linear("fc", 32, 10), inputs=["gap"]),
    ]
    return n, "fc", 2, ("ComputationGraph-style: BatchNorm, identity residual add, strided conv with symmetric "
                        "padding, 1x1 strided projection shortcut, two parallel branches merged by channel concat, "
                        "global average pooling")


def arch_resnet20():
    nodes = chain([conv("stem", 3, 16, 3, padding=(1, 1, 1, 1), bias=False), bn("stem_bn", 16),
                   act_node("stem_relu", "relu")])
    prev, cin = "stem_relu", 16
    for s, cout in enumerate([16, 32, 64], start=1):
        for b in range(1, 4):
            stride = 2 if (s > 1 and b == 1) else 1
            p = "s%db%d_" % (s, b)
            body = chain([
                conv(p + "conv1", cin, cout, 3, stride=stride, padding=(1, 1, 1, 1), bias=False), bn(p + "bn1", cout),
                act_node(p + "relu1", "relu"),
                conv(p + "conv2", cout, cout, 3, padding=(1, 1, 1, 1), bias=False), bn(p + "bn2", cout),
            ])
            body[0]["inputs"] = [prev]
            nodes += body
            short = prev
            if stride != 1 or cin != cout:
                nodes.append(dict(conv(p + "proj", cin, cout, 1, stride=stride, bias=False), inputs=[prev]))
                nodes.append(dict(bn(p + "proj_bn", cout), inputs=[p + "proj"]))
                short = p + "proj_bn"
            nodes.append({"name": p + "add", "type": "add", "inputs": [p + "bn2", short]})
            nodes.append(dict(act_node(p + "relu2", "relu"), inputs=[p + "add"]))
            prev, cin = p + "relu2", cout
    nodes.append(dict(gap("gap"), inputs=[prev]))
    nodes.append(dict(linear("fc", 64, 10), inputs=["gap"]))
    return nodes, "fc", 0, ("CIFAR ResNet-20 (He et al. 2016) with projection (option B) shortcuts on the two "
                            "downsampling blocks; untrained, for speed benchmarks and forward/gradient agreement")


ARCHS = {
    "lenet": arch_lenet,
    "bn-cnn": arch_bn_cnn,
    "nhwc-cnn": arch_nhwc_cnn,
    "activations": arch_activations,
    "resnet": arch_resnet,
    "resnet20": arch_resnet20,
}


# --------------------------------------------------------------------------- helpers

def seed_all():
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    random.seed(SEED)


def f32(t):
    return np.ascontiguousarray(t.detach().cpu().numpy().astype(np.float32))


def input_grad(model, x, y):
    """Per-example d CE / dx (loss summed over the batch, so each row is its own gradient)."""
    x = x.clone().requires_grad_(True)
    logits = model(x)
    loss = F.cross_entropy(logits, y, reduction="sum")
    g, = torch.autograd.grad(loss, x)
    return logits.detach(), g


TIE = 1e-4


def margin(logits, y):
    true = logits.gather(1, y[:, None])[:, 0]
    other = logits.scatter(1, y[:, None], float("-inf")).max(1).values
    return true - other


def evaluate(model, xte, yte):
    model.eval()
    clean = 0
    adv = {e: 0 for e in EPSILONS}
    ties = {e: 0 for e in EPSILONS}
    zero_grad = 0
    for i in range(0, xte.shape[0], EVAL_BATCH):
        x, y = xte[i:i + EVAL_BATCH], yte[i:i + EVAL_BATCH]
        logits, g = input_grad(model, x, y)
        clean += int((logits.argmax(1) == y).sum())
        zero_grad += int((g == 0).sum())
        s = torch.sign(g)
        with torch.no_grad():
            for e in EPSILONS:
                xa = torch.clamp(x + e * s, 0.0, 1.0)
                la = model(xa)
                adv[e] += int((la.argmax(1) == y).sum())
                ties[e] += int((margin(la, y).abs() < TIE).sum())
    n = xte.shape[0]
    return {
        "test_images": n,
        "clean_correct": clean,
        "clean_accuracy": clean / n,
        "fgsm": [{"epsilon": e, "correct": adv[e], "accuracy": adv[e] / n, "near_ties": ties[e]} for e in EPSILONS],
        "near_ties_definition": ("adversarial examples whose true-class logit minus best other logit is within "
                                 "+-%g: a float-level difference could flip their prediction" % TIE),
        "zero_gradient_pixels": zero_grad,
        "zero_gradient_fraction": zero_grad / float(xte.numel()),
    }


def float64_accuracies(model, xte, yte):
    """FGSM accuracy of the same weights computed in float64: how far float32 rounding alone moves the numbers.

    Two correct float32 implementations can disagree by as much as one of them disagrees with float64, so a Java
    check allows max(0.15 pp, |float32 - float64|) where the spread is larger."""
    exact = copy.deepcopy(model).double().eval()
    adv = {e: 0 for e in EPSILONS}
    for i in range(0, xte.shape[0], EVAL_BATCH):
        x, y = xte[i:i + EVAL_BATCH].double(), yte[i:i + EVAL_BATCH]
        _, g = input_grad(exact, x, y)
        s = torch.sign(g)
        with torch.no_grad():
            for e in EPSILONS:
                adv[e] += int((exact(torch.clamp(x + e * s, 0.0, 1.0)).argmax(1) == y).sum())
    return {e: adv[e] / xte.shape[0] for e in EPSILONS}


def add_float64(name, out_root, data):
    """Adds accuracy_float64 to an architecture's recorded FGSM rows, from its saved weights, without retraining."""
    nodes, output, _, _ = ARCHS[name]()
    model = GraphNet(nodes, output)
    d = os.path.join(out_root, name)
    model.load_state_dict({k: torch.from_numpy(np.load(os.path.join(d, k + ".npy")))
                           for k in model.state_dict() if not k.endswith("num_batches_tracked")}, strict=False)
    model.eval()
    with open(os.path.join(d, "arch.json")) as f:
        info = json.load(f)
    exact = float64_accuracies(model, data[2], data[3])
    for row in info["reference"]["fgsm"]:
        row["accuracy_float64"] = exact[row["epsilon"]]
    write_json(os.path.join(d, "arch.json"), info)
    log("[%s] float64 FGSM %s" % (name, " ".join("%.2f:%.4f" % (e, a) for e, a in exact.items())))


def train(model, xtr, ytr, epochs):
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    gen = torch.Generator().manual_seed(SEED)
    n = xtr.shape[0]
    steps = 0
    t0 = time.perf_counter()
    for ep in range(epochs):
        model.train()
        perm = torch.randperm(n, generator=gen)
        tot, cnt = 0.0, 0
        for i in range(0, n, BATCH):
            idx = perm[i:i + BATCH]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            steps += 1
            tot += float(loss) * idx.numel()
            cnt += idx.numel()
            if steps % 200 == 0:
                log("    epoch %d step %d loss %.4f (%.0fs)" % (ep + 1, steps, tot / cnt, time.perf_counter() - t0))
        log("  epoch %d done: mean train loss %.4f, %.1fs" % (ep + 1, tot / cnt, time.perf_counter() - t0))
    return time.perf_counter() - t0, steps


def save_params(model, d):
    files = []
    for k, v in model.state_dict().items():
        if k.endswith("num_batches_tracked"):
            continue
        a = f32(v)
        fn = k + ".npy"
        np.save(os.path.join(d, fn), a)
        files.append({"file": fn, "shape": list(a.shape), "dtype": "float32"})
    return files


_SCALAR = r'(?:-?[0-9][0-9.eE+-]*|"[^",\[\]{}]*"|true|false|null)'
# json.dumps(indent=2) puts a real newline after '[' of every non-empty list; strings never contain one.
_SHORT_LIST = re.compile(r'\[\n\s*(%s(?:,\n\s*%s)*)\n\s*\]' % (_SCALAR, _SCALAR))


def write_json(path, obj):
    """json indent 2, but lists of scalars on one line (kernel, stride, padding, shapes, ...)."""
    text = json.dumps(obj, indent=2)
    text = _SHORT_LIST.sub(lambda m: "[" + ", ".join(v.strip() for v in m.group(1).split(",")) + "]", text)
    assert json.loads(text) == json.loads(json.dumps(obj))
    with open(path, "w") as f:
        f.write(text + "\n")


# --------------------------------------------------------------------------- main per architecture

def run_arch(name, out_root, data):
    seed_all()
    nodes, output, epochs, desc = ARCHS[name]()
    model = GraphNet(nodes, output)
    nparams = sum(p.numel() for p in model.parameters())
    nbuffers = sum(b.numel() for k, b in model.named_buffers() if not k.endswith("num_batches_tracked"))
    log("[%s] %d trainable parameters" % (name, nparams))
    d = os.path.join(out_root, name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.endswith(".npy") or f == "arch.json":
            os.remove(os.path.join(d, f))

    info = {
        "name": name,
        "description": desc,
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "layout": ("parameters are PyTorch layout: Linear weight [out,in], Conv2d weight [out,in,kh,kw], "
                   "BatchNorm weight=gamma, bias=beta, running_mean, running_var"),
        "padding_format": "[top, bottom, left, right]",
        "output": output,
        "output_kind": "logits (no softmax layer; loss = cross-entropy on logits = log_softmax + NLL)",
    }
    if name == "resnet20":
        info["input"] = {"shape": [3, 32, 32], "layout": "NCHW", "dtype": "float32"}
    else:
        info["input"] = {"shape": [1, 28, 28], "layout": "NCHW", "dtype": "float32",
                         "preprocessing": "MNIST uint8 / 255 (float32), no normalisation"}
    info["layers"] = nodes

    if name == "resnet20":
        # untrained; make BatchNorm non-trivial
        g = torch.Generator().manual_seed(SEED)
        with torch.no_grad():
            for m in model.modules():
                if isinstance(m, nn.BatchNorm2d):
                    c = m.num_features
                    m.running_mean.copy_(torch.randn(c, generator=g) * 0.1)
                    m.running_var.copy_(torch.rand(c, generator=g) + 0.5)
                    m.weight.copy_(torch.rand(c, generator=g) * 0.4 + 0.8)
                    m.bias.copy_(torch.randn(c, generator=g) * 0.1)
            x = torch.rand(8, 3, 32, 32, generator=g)
        y = torch.arange(8, dtype=torch.int64)
        model.eval()
        logits, grad = input_grad(model, x, y)
        probs = F.softmax(logits, dim=1)
        info["initialisation"] = {
            "seed": SEED,
            "weights": "torch.manual_seed(42) then default torch init (kaiming-uniform conv/linear) in node order",
            "batchnorm": ("one torch.Generator seeded 42; for each BatchNorm2d in node order: running_mean = "
                          "randn*0.1, running_var = rand+0.5 (U[0.5,1.5)), weight = rand*0.4+0.8 (U[0.8,1.2)), "
                          "bias = randn*0.1"),
            "inputs": "then from the same generator: torch.rand(8,3,32,32) (U[0,1)), saved as inputs.npy",
        }
        info["training"] = {"trained": False}
        info["parameter_count"] = nparams
        info["batchnorm_buffer_count"] = nbuffers
        np.save(os.path.join(d, "inputs.npy"), f32(x))
        np.save(os.path.join(d, "logits8.npy"), f32(logits))
        np.save(os.path.join(d, "probs8.npy"), f32(probs))
        np.save(os.path.join(d, "grad8.npy"), f32(grad))
        info["reference"] = {
            "labels": list(range(8)),
            "files": {"inputs.npy": [8, 3, 32, 32], "logits8.npy": [8, 10], "probs8.npy": [8, 10],
                      "grad8.npy": [8, 3, 32, 32]},
            "grad": "d/dx of sum_i CE(logits(x_i), label_i), i.e. per-example gradients, eval mode",
            "predictions": [int(v) for v in logits.argmax(1)],
        }
        log("[%s] predictions %s" % (name, info["reference"]["predictions"]))
    else:
        xtr, ytr, xte, yte = data
        log("[%s] training %d epoch(s)" % (name, epochs))
        secs, steps = train(model, xtr, ytr, epochs)
        info["training"] = {
            "trained": True, "dataset": "MNIST train, all 60000 images", "epochs": epochs, "seed": SEED,
            "optimizer": "Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0)", "lr": LR,
            "batch_size": BATCH, "steps": steps, "last_batch": "partial batch of 60000 % 64 = 32 kept",
            "shuffle": "torch.randperm(60000, generator=torch.Generator().manual_seed(42)) per epoch",
            "init": "torch.manual_seed(42) then default torch init in node order",
            "loss": "F.cross_entropy(logits, y) (mean over batch)",
            "threads": torch.get_num_threads(), "seconds": round(secs, 2),
        }
        info["parameter_count"] = nparams
        info["batchnorm_buffer_count"] = nbuffers
        model.eval()
        log("[%s] evaluating clean + FGSM on %d test images" % (name, xte.shape[0]))
        t0 = time.perf_counter()
        ref = evaluate(model, xte, yte)
        ref["eval_seconds"] = round(time.perf_counter() - t0, 2)
        exact = float64_accuracies(model, xte, yte)
        for row in ref["fgsm"]:
            row["accuracy_float64"] = exact[row["epsilon"]]
        ref["fgsm_definition"] = ("untargeted FGSM: x_adv = clamp(x + eps * sign(d CE(logits(x), y) / dx), 0, 1), "
                                  "true labels, eval mode, float32 (eps applied as a float32 scalar), "
                                  "gradient per batch of 1000 with the per-example losses summed; sign(0) = 0")
        with torch.no_grad():
            logits16 = model(xte[:16])
        probs16 = F.softmax(logits16, dim=1)
        _, grad4 = input_grad(model, xte[:4], yte[:4])
        np.save(os.path.join(d, "logits16.npy"), f32(logits16))
        np.save(os.path.join(d, "probs16.npy"), f32(probs16))
        np.save(os.path.join(d, "grad4.npy"), f32(grad4))
        ref["files"] = {"probs16.npy": "softmax of the first 16 test images [16,10]",
                        "logits16.npy": "logits of the first 16 test images [16,10]",
                        "grad4.npy": "d CE / dx of the first 4 test images with true labels, per example [4,1,28,28]"}
        ref["labels16"] = [int(v) for v in yte[:16]]
        ref["predictions16"] = [int(v) for v in logits16.argmax(1)]
        info["reference"] = ref
        log("[%s] clean %.4f  fgsm %s" % (name, ref["clean_accuracy"],
                                          " ".join("%.2f:%.4f" % (r["epsilon"], r["accuracy"]) for r in ref["fgsm"])))

    info["parameters"] = save_params(model, d)
    write_json(os.path.join(d, "arch.json"), info)
    size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
    log("[%s] wrote %s (%d bytes)" % (name, d, size))
    return info


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--arch", nargs="+", choices=list(ARCHS), default=list(ARCHS))
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--data-dir", default=DEFAULT_DATA)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--add-float64", action="store_true",
                    help="only add float64 FGSM accuracies to existing outputs, without retraining")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.use_deterministic_algorithms(True)

    data = None
    if any(n != "resnet20" for n in a.arch):
        log("loading MNIST from %s" % a.data_dir)
        data = load_mnist(a.data_dir)
    if a.add_float64:
        for name in a.arch:
            if name != "resnet20":
                add_float64(name, a.out, data)
        return
    summary = {}
    for name in a.arch:
        info = run_arch(name, a.out, data)
        summary[name] = {"params": info["parameter_count"],
                         "seconds": info["training"].get("seconds"),
                         "clean": info["reference"].get("clean_accuracy")}
    log(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
