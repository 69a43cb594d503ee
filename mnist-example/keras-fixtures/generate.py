#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Deterministic generator for RobustUnit's Keras-import test fixtures.

Run from the repository root with Debian's interpreter:

    /usr/bin/python3 mnist-example/keras-fixtures/generate.py

It (re)writes every file in mnist-example/src/test/resources/keras/.
Optional: ``--dump FILE...`` prints an ``h5ls -r``-like listing of .h5/.keras
files instead of generating anything.

Why this script exists
----------------------
Neither TensorFlow nor Keras is installed on the project's machines, so the
fixtures cannot be produced by calling ``model.save(...)``.  Instead this
script writes, with nothing but h5py, json and zipfile, the same objects,
attributes and JSON documents that Keras itself writes.  Every layout decision
below was taken from the Keras source code (tags v2.12.0 and v3.10.0 of the
keras-team/keras repository); each writer cites the file and function whose
behaviour it reproduces.  The code here is an independent re-implementation:
it only mirrors *what* Keras stores, not how Keras is written.

Three models x three formats are produced:

* ``<model>-keras2.h5``  : ``model.save("x.h5")`` as TF 2.12 / Keras 2.12 does it
* ``<model>-keras3.h5``  : ``model.save("x.h5")`` as Keras 3.10.0 (TF backend) does it
* ``<model>.keras``      : ``model.save("x.keras")`` as Keras 3.10.0 does it

plus a fourth, untrained Sequential model, ``layers``, made of every other
layer kind RobustUnit imports (ZeroPadding2D, strided "same" Conv2D,
BatchNormalization, Activation, AveragePooling2D, GlobalAveragePooling2D,
Dropout, and Dense followed by a softmax Activation) with seeded random
weights, in the same three formats; error fixtures (Lambda layer, custom
layer, truncated file); and, per
model, ``<model>-expected.npy``: softmax probabilities for the first 100
MNIST test images, computed in NumPy (float64) from the Keras-layout weights.

Scenario that each file represents (this decides what optimizer state and
metric objects Keras would have written):

* ``mlp``: built, compiled with ``optimizer="adam",
  loss="sparse_categorical_crossentropy", metrics=["accuracy"]``, weights set
  with ``model.set_weights(...)`` from the peer .npy files, then saved.  It was
  never fitted, so the Adam optimizer has only its iteration counter (Keras 2)
  or iteration counter + learning-rate variable (Keras 3).
* ``cnn`` and ``branch``: compiled the same way and trained with
  ``fit(epochs=3, batch_size=64)`` on the 60,000 MNIST training images (2,814
  Adam steps).  The training really happens in PyTorch here; its Adam moments
  (``exp_avg``/``exp_avg_sq``, the same quantities Keras calls ``m``/``v`` or
  ``momentum``/``velocity``) are converted to the Keras layout and written as
  the optimizer state, and the iteration counter is 2814.
* Every save is assumed to happen on a CPU-only machine (this only matters for
  the ``jit_compile`` flags: Keras turns XLA off when it finds no GPU).
"""

import argparse
import gzip
import io
import json
import os
import struct
import sys
import zipfile

import numpy as np

try:
    import h5py
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:  # pragma: no cover - environment problem
    sys.exit("generate.py needs Debian's python3-h5py and python3-torch: %s" % e)

# --------------------------------------------------------------------------
# Paths and constants
# --------------------------------------------------------------------------
HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT_DIR = os.path.join(REPO_ROOT, "mnist-example", "src", "test", "resources", "keras")
PEER_DIR = os.path.join(REPO_ROOT, "mnist-example", "src", "test", "resources", "peer")
MNIST_DIR = os.environ.get(
    "ROBUSTUNIT_MNIST_DIR",
    os.path.normpath(os.path.join(REPO_ROOT, "..", "shared", "datasets", "mnist")),
)

KERAS2_VERSION = "2.12.0"
KERAS3_VERSION = "3.10.0"
BACKEND = "tensorflow"

SEED = 42
# The first plan was one epoch over the first 10,000 training images; with
# Adam(1e-3) and batch 64 that gives only ~88.6% test accuracy for both small
# models (printed by earlier runs of this script).  To reach the wanted
# >= 95%, the same recipe is run for 3 epochs over all 60,000 training images
# (2,814 Adam steps): cnn 96.0%, branch 95.6%.  Set TRAIN_IMAGES = 10_000 and
# EPOCHS = 1 to get the literal recipe back.
TRAIN_IMAGES = 60_000
EPOCHS = 3
BATCH = 64
LR = 1e-3
ADAM_EPS = 1e-7  # Keras's Adam default epsilon (torch's default would be 1e-8)

# Fixed timestamps so that the .keras archives are byte-for-byte reproducible.
# Keras writes the wall-clock time into metadata.json ("%Y-%m-%d@%H:%M:%S") and
# into the zip header of the model.weights.h5 entry; both are pinned here.
ZIP_DATE_TIME = (2025, 6, 2, 12, 0, 0)
DATE_SAVED = "2025-06-02@12:00:00"

# Keras 3 marks objects that are serialized more than once inside one .keras
# config with "shared_object_id": id(obj) (serialization_lib.py,
# record_object_after_serialization).  All layers created without an explicit
# dtype share the single global DTypePolicy object, so every DTypePolicy config
# after the first one carries that id.  In a real file it is a CPython memory
# address that changes from process to process; here a fixed, plausible value
# is used.
DTYPE_POLICY_SHARED_ID = 140317286524752

# The learning rate is stored in a float32 variable by both Keras 2.12 and
# Keras 3, and read back (np.float32 -> Python float) when the optimizer
# config is written: 0.001 therefore appears as 0.0010000000474974513.
LR_AS_SAVED = float(np.float32(LR))


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------
def read_idx(path):
    """Read a gzipped IDX file (big-endian header: magic, dims...)."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_mnist():
    d = MNIST_DIR
    if not os.path.isdir(d):
        sys.exit("MNIST directory not found: %s (set ROBUSTUNIT_MNIST_DIR)" % d)
    xtr = read_idx(os.path.join(d, "train-images-idx3-ubyte.gz"))
    ytr = read_idx(os.path.join(d, "train-labels-idx1-ubyte.gz"))
    xte = read_idx(os.path.join(d, "t10k-images-idx3-ubyte.gz"))
    yte = read_idx(os.path.join(d, "t10k-labels-idx1-ubyte.gz"))
    return xtr, ytr, xte, yte


def pixels(images_u8):
    """uint8 -> float32 in [0, 1], as x = pixels / 255 (float32 division)."""
    return images_u8.astype(np.float32) / np.float32(255.0)


# --------------------------------------------------------------------------
# Training in PyTorch (cnn, branch) and conversion to the Keras layout
# --------------------------------------------------------------------------
class TorchCnn(nn.Module):
    """Conv2D(8,3x3,relu,valid) -> MaxPool(2) -> Flatten -> Dense(10)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3)
        self.fc = nn.Linear(13 * 13 * 8, 10)

    def forward(self, x):  # x: [N, 1, 28, 28]
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        return self.fc(torch.flatten(x, 1))  # logits; softmax is in the loss


class TorchBranch(nn.Module):
    """a, b = Dense(32,relu)(x); h = Dense(16,relu)(a+b); out = Dense(10)([h, a])."""

    def __init__(self):
        super().__init__()
        self.a = nn.Linear(784, 32)
        self.b = nn.Linear(784, 32)
        self.hidden = nn.Linear(32, 16)
        self.out = nn.Linear(16 + 32, 10)

    def forward(self, x):  # x: [N, 784]
        ha = F.relu(self.a(x))
        hb = F.relu(self.b(x))
        h = F.relu(self.hidden(ha + hb))
        return self.out(torch.cat([h, ha], dim=1))


def train_torch(model, x_train, y_train, x_test, y_test):
    """EPOCHS seeded epochs of Adam over x_train (a fresh permutation from one
    seeded generator each epoch, like Keras's fit(shuffle=True)); returns
    (optimizer, steps, test accuracy)."""
    opt = torch.optim.Adam(model.parameters(), lr=LR, eps=ADAM_EPS)
    gen = torch.Generator().manual_seed(SEED)
    n = x_train.shape[0]
    steps = 0
    model.train()
    for _ in range(EPOCHS):
        perm = torch.randperm(n, generator=gen)
        for start in range(0, n, BATCH):
            idx = perm[start:start + BATCH]
            loss = F.cross_entropy(model(x_train[idx]), y_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            steps += 1
    model.eval()
    with torch.no_grad():
        acc = (model(x_test).argmax(1) == y_test).float().mean().item()
    return opt, steps, acc


def cnn_dense_kernel_to_keras(w):
    """torch Linear weight [10, C*H*W] (flattened channels-first, (c,h,w))
    -> Keras Dense kernel [H*W*C, 10] (Keras Flatten on channels_last data
    flattens (h,w,c) row-major)."""
    w = np.asarray(w)
    return np.ascontiguousarray(
        w.reshape(10, 8, 13, 13).transpose(2, 3, 1, 0).reshape(13 * 13 * 8, 10))


def conv_kernel_to_keras(w):
    """torch Conv2d weight [out, in, kh, kw] -> Keras Conv2D kernel
    [kh, kw, in, out].  Both frameworks compute cross-correlation, so no
    spatial flip is needed."""
    return np.ascontiguousarray(np.asarray(w).transpose(2, 3, 1, 0))


def linear_kernel_to_keras(w):
    """torch Linear weight [out, in] -> Keras Dense kernel [in, out]."""
    return np.ascontiguousarray(np.asarray(w).T)


def torch_to_keras_params(opt, pairs):
    """pairs: list of (layer, var, torch_param, convert_fn) in the order of the
    Keras model's trainable variables.  Returns weights (Keras layout) and the
    Adam first/second moments converted the same way."""
    weights, moments = {}, []
    for layer, var, p, conv in pairs:
        val = conv(p.detach().numpy()).astype(np.float32)
        weights.setdefault(layer, []).append((var, val))
        st = opt.state[p]
        m = conv(st["exp_avg"].numpy()).astype(np.float32)
        v = conv(st["exp_avg_sq"].numpy()).astype(np.float32)
        moments.append((layer, var, m, v))
    return weights, moments


# --------------------------------------------------------------------------
# NumPy reference forward passes (float64), from Keras-layout weights
# --------------------------------------------------------------------------
def softmax64(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def relu(z):
    return np.maximum(z, 0.0)


def forward_mlp(w, x):  # x: [N, 28, 28] float32
    k1, b1 = [a.astype(np.float64) for _, a in w["dense"]]
    k2, b2 = [a.astype(np.float64) for _, a in w["dense_1"]]
    h = relu(x.reshape(x.shape[0], -1).astype(np.float64) @ k1 + b1)
    return softmax64(h @ k2 + b2)


def forward_cnn(w, x):  # x: [N, 28, 28] float32, channels_last with C=1
    k, b = [a.astype(np.float64) for _, a in w["conv2d"]]   # [3,3,1,8], [8]
    kd, bd = [a.astype(np.float64) for _, a in w["dense"]]   # [1352,10], [10]
    x = x.astype(np.float64)[..., None]                       # [N,28,28,1]
    n = x.shape[0]
    conv = np.zeros((n, 26, 26, 8))
    for dh in range(3):
        for dw in range(3):
            conv += np.einsum("nhwc,co->nhwo", x[:, dh:dh + 26, dw:dw + 26, :], k[dh, dw])
    conv = relu(conv + b)
    pooled = conv.reshape(n, 13, 2, 13, 2, 8).max(axis=(2, 4))  # [N,13,13,8]
    return softmax64(pooled.reshape(n, -1) @ kd + bd)           # (h,w,c) flatten


def forward_branch(w, x):  # x: [N, 28, 28] float32 -> flattened 784
    p = {name: [a.astype(np.float64) for _, a in vs] for name, vs in w.items()}
    x = x.reshape(x.shape[0], -1).astype(np.float64)
    ha = relu(x @ p["a"][0] + p["a"][1])
    hb = relu(x @ p["b"][0] + p["b"][1])
    h = relu((ha + hb) @ p["dense"][0] + p["dense"][1])
    c = np.concatenate([h, ha], axis=1)
    return softmax64(c @ p["dense_1"][0] + p["dense_1"][1])


ACTIVATIONS = {
    "linear": lambda z: z,
    "relu": relu,
    "tanh": np.tanh,
    "softmax": softmax64,
}


def conv2d_nhwc(x, k, b, strides, padding):
    """Keras/TensorFlow Conv2D (cross-correlation) on [N,H,W,C] with kernel
    [kh,kw,in,out].  "same" pads pad_total = max((out - 1) * s + k - in, 0)
    per axis, the smaller half at the top/left (TensorFlow's convention)."""
    kh, kw = k.shape[:2]
    sh, sw = strides
    if padding == "same":
        pads = []
        for size, kk, ss in ((x.shape[1], kh, sh), (x.shape[2], kw, sw)):
            out = -(-size // ss)
            total = max((out - 1) * ss + kk - size, 0)
            pads.append((total // 2, total - total // 2))
        x = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    n, h, w, _ = x.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    y = np.zeros((n, oh, ow, k.shape[3]))
    for dh in range(kh):
        for dw in range(kw):
            patch = x[:, dh:dh + sh * (oh - 1) + 1:sh, dw:dw + sw * (ow - 1) + 1:sw, :]
            y += np.einsum("nhwc,co->nhwo", patch, k[dh, dw])
    return y + b


def forward_sequential(layers, w, x):
    """Reference forward pass of a channels-last Sequential model made of the
    layers below, in float64; x: [N, 28, 28] float32, taken as [N,28,28,1]."""
    p = {name: dict((v, a.astype(np.float64)) for v, a in vs) for name, vs in w.items()}
    a = x.astype(np.float64)[..., None]
    for L in layers:
        t, q = L["type"], p.get(L["name"], {})
        if t == "ZeroPadding2D":
            pad = L["padding"]
            a = np.pad(a, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
        elif t == "Conv2D":
            a = ACTIVATIONS[L["activation"]](conv2d_nhwc(
                a, q["kernel"], q["bias"], L.get("strides", (1, 1)), L.get("padding", "valid")))
        elif t == "BatchNormalization":
            # inference: the moving statistics, epsilon inside the square root
            a = (a - q["moving_mean"]) / np.sqrt(q["moving_variance"] + L["epsilon"]) \
                * q["gamma"] + q["beta"]
        elif t == "Activation":
            a = ACTIVATIONS[L["activation"]](a)
        elif t == "AveragePooling2D":
            ph, pw = L["pool_size"]
            n, h, ww, c = a.shape
            a = a[:, :h // ph * ph, :ww // pw * pw, :].reshape(n, h // ph, ph, ww // pw, pw, c).mean(axis=(2, 4))
        elif t == "GlobalAveragePooling2D":
            a = a.mean(axis=(1, 2))
        elif t == "Dropout":
            pass  # inference
        elif t == "Dense":
            a = ACTIVATIONS[L["activation"]](a @ q["kernel"] + q["bias"])
        else:
            raise ValueError(t)
    return a


# --------------------------------------------------------------------------
# Abstract model description shared by the three writers
# --------------------------------------------------------------------------
# A model is a dict:
#   kind:        "sequential" | "functional"
#   input_shape: shape without the batch dimension
#   layers:      list of layer dicts {type, name, ...params, inputs (functional)}
#   weights:     {layer_name: [(var_name, np.ndarray), ...]} in Keras order
#   compiled:    bool
#   trained:     None or {"iterations": int, "moments": [(layer, var, m, v)]}
#
# Layer names are the names Keras 2 / Keras 3 would auto-assign in a fresh
# session; they agree for every layer except the functional model's input
# (Keras 2: "input_1" from backend.get_uid("input"); Keras 3: "input_layer"
# from naming.auto_name("InputLayer")).


def output_shapes(model):
    """Static shape inference (batch dim = None) for every layer."""
    shapes = {"<input>": (None,) + tuple(model["input_shape"])}
    prev = "<input>"
    for L in model["layers"]:
        ins = L.get("inputs", [prev])
        s = [shapes[i] for i in ins]
        t = L["type"]
        if t == "Flatten":
            out = (None, int(np.prod(s[0][1:])))
        elif t == "Dense":
            out = s[0][:-1] + (L["units"],)
        elif t == "Conv2D":
            kh, kw = L["kernel_size"]
            sh, sw = L.get("strides", (1, 1))
            if L.get("padding", "valid") == "same":
                out = (None, -(-s[0][1] // sh), -(-s[0][2] // sw), L["filters"])
            else:
                out = (None, (s[0][1] - kh) // sh + 1, (s[0][2] - kw) // sw + 1, L["filters"])
        elif t in ("MaxPooling2D", "AveragePooling2D"):
            ph, pw = L["pool_size"]
            out = (None, s[0][1] // ph, s[0][2] // pw, s[0][3])
        elif t == "ZeroPadding2D":
            p = L["padding"]
            out = (None, s[0][1] + 2 * p, s[0][2] + 2 * p, s[0][3])
        elif t == "GlobalAveragePooling2D":
            out = (None, s[0][3])
        elif t in ("BatchNormalization", "Activation", "Dropout"):
            out = s[0]
        elif t == "Add":
            out = s[0]
        elif t == "Concatenate":
            out = s[0][:-1] + (sum(x[-1] for x in s),)
        elif t in ("Lambda", "MyScaling"):
            out = s[0]
        else:
            raise ValueError(t)
        shapes[L["name"]] = out
        prev = L["name"]
    return shapes


# --------------------------------------------------------------------------
# Keras 2.12 model_config / training_config (legacy JSON)
# --------------------------------------------------------------------------
# Sources (tag v2.12.0):
#  * keras/saving/legacy/saving_utils.py, model_metadata(): the root attributes
#    keras_version, backend, model_config={"class_name", "config"} and, for a
#    compiled model, training_config (+ "optimizer_config").
#  * keras/saving/legacy/serialization.py, serialize_keras_object() /
#    serialize_keras_class_and_config(): every object becomes
#    {"class_name": <registered name>, "config": <get_config()>}; no "module",
#    no "registered_name" keys.
#  * keras/engine/base_layer.py, Layer.get_config(): name, trainable, dtype
#    (a plain string for the default float32 policy) and batch_input_shape
#    when the layer was given input_shape=...; subclasses append their keys.
#  * keras/layers/core/dense.py, keras/layers/convolutional/base_conv.py,
#    keras/layers/pooling/base_pooling2d.py, keras/layers/reshaping/flatten.py,
#    keras/layers/merging/{base_merge,concatenate}.py,
#    keras/layers/core/lambda_layer.py: per-layer keys, in that order.
#  * keras/engine/input_layer.py, InputLayer.get_config().
#  * keras/engine/sequential.py, Sequential.get_config(): {"name", "layers"}
#    where "layers" starts with the InputLayer that Sequential.add() creates
#    (named "<first layer>_input") when the first layer has input_shape.
#  * keras/engine/functional.py, Functional.get_config()/get_network_config():
#    {"name", "trainable", "layers", "input_layers", "output_layers"}; each
#    layer entry gets "name" and "inbound_nodes"; node.py Node.serialize()
#    writes each inbound node as a list of [layer, node_index, tensor_index,
#    kwargs] (one entry per input tensor).  The default model name is "model"
#    (Functional._init_set_name hides the "Functional" class name).
#  * keras/initializers/initializers.py: GlorotUniform -> {"seed": null},
#    Zeros -> {}.

def k2_init(name):
    return {"class_name": name, "config": {"seed": None} if name == "GlorotUniform" else {}}


def k2_layer_config(L, batch_input_shape=None):
    c = {"name": L["name"], "trainable": True, "dtype": "float32"}
    if batch_input_shape is not None:
        c["batch_input_shape"] = list(batch_input_shape)
    t = L["type"]
    if t == "Flatten":
        c["data_format"] = "channels_last"
    elif t == "Dense":
        c.update({
            "units": L["units"], "activation": L["activation"], "use_bias": True,
            "kernel_initializer": k2_init("GlorotUniform"),
            "bias_initializer": k2_init("Zeros"),
            "kernel_regularizer": None, "bias_regularizer": None,
            "activity_regularizer": None, "kernel_constraint": None,
            "bias_constraint": None,
        })
    elif t == "Conv2D":
        c.update({
            "filters": L["filters"], "kernel_size": list(L["kernel_size"]),
            "strides": list(L.get("strides", (1, 1))), "padding": L.get("padding", "valid"),
            "data_format": "channels_last",
            "dilation_rate": [1, 1], "groups": 1, "activation": L["activation"],
            "use_bias": True,
            "kernel_initializer": k2_init("GlorotUniform"),
            "bias_initializer": k2_init("Zeros"),
            "kernel_regularizer": None, "bias_regularizer": None,
            "activity_regularizer": None, "kernel_constraint": None,
            "bias_constraint": None,
        })
    elif t in ("MaxPooling2D", "AveragePooling2D"):
        c.update({"pool_size": list(L["pool_size"]), "padding": "valid",
                  "strides": list(L["pool_size"]), "data_format": "channels_last"})
    elif t == "Add":
        pass
    elif t == "Concatenate":
        c["axis"] = -1
    elif t == "ZeroPadding2D":
        # reshaping/zero_padding2d.py: the padding as normalized in __init__,
        # ((top, bottom), (left, right)).
        p = L["padding"]
        c.update({"padding": [[p, p], [p, p]], "data_format": "channels_last"})
    elif t == "BatchNormalization":
        # normalization/batch_normalization.py BatchNormalizationBase: build()
        # turns axis=-1 into the list of positive axes, [3] for images, and
        # get_config() writes it so.
        c.update({
            "axis": [3], "momentum": 0.99, "epsilon": L["epsilon"], "center": True,
            "scale": True, "beta_initializer": k2_init("Zeros"),
            "gamma_initializer": k2_init("Ones"),
            "moving_mean_initializer": k2_init("Zeros"),
            "moving_variance_initializer": k2_init("Ones"),
            "beta_regularizer": None, "gamma_regularizer": None,
            "beta_constraint": None, "gamma_constraint": None,
        })
    elif t == "Activation":
        c["activation"] = L["activation"]
    elif t == "GlobalAveragePooling2D":
        c.update({"data_format": "channels_last", "keepdims": False})
    elif t == "Dropout":
        c.update({"rate": L["rate"], "noise_shape": None, "seed": None})
    elif t == "Lambda":
        # Lambda.get_config(): the function goes through
        # generic_utils.func_dump(), i.e. [base64(marshal(code)), defaults,
        # closure]; base64 comes from codecs.encode(..., "base64") and so has a
        # newline every 76 characters and a trailing newline.  Here the payload
        # is NOT marshalled bytecode: it is an inert ASCII text, base64-encoded
        # the same way, so that a loader that wrongly unmarshals it fails.
        c.update({
            "function": [L["function_b64"], None, None],
            "function_type": "lambda", "module": "__main__",
            "output_shape": None, "output_shape_type": "raw",
            "output_shape_module": None, "arguments": {},
        })
    else:
        raise ValueError(t)
    return c


def k2_model_config(model):
    layers = model["layers"]
    if model["kind"] == "sequential":
        first = layers[0]
        bis = (None,) + tuple(model["input_shape"])
        entries = [{"class_name": "InputLayer", "config": {
            "batch_input_shape": list(bis), "dtype": "float32",
            "sparse": False, "ragged": False, "name": first["name"] + "_input"}}]
        for i, L in enumerate(layers):
            entries.append({"class_name": L["type"],
                            "config": k2_layer_config(L, bis if i == 0 else None)})
        return {"class_name": "Sequential",
                "config": {"name": "sequential", "layers": entries}}
    # Functional
    in_name = model["input_name_k2"]
    entries = [{"class_name": "InputLayer", "config": {
        "batch_input_shape": [None] + list(model["input_shape"]), "dtype": "float32",
        "sparse": False, "ragged": False, "name": in_name},
        "name": in_name, "inbound_nodes": []}]
    for L in layers:
        srcs = [in_name if s == "<input>" else s for s in L["inputs"]]
        entries.append({"class_name": L["type"], "config": k2_layer_config(L),
                        "name": L["name"],
                        "inbound_nodes": [[[s, 0, 0, {}] for s in srcs]]})
    return {"class_name": "Functional", "config": {
        "name": "model", "trainable": True, "layers": entries,
        "input_layers": [[in_name, 0, 0]],
        "output_layers": [[layers[-1]["name"], 0, 0]]}}


def k2_training_config(model):
    # training.py Model._get_compile_args(user_metrics=False): after fit() the
    # metrics container has replaced "accuracy" by a MeanMetricWrapper around
    # sparse_categorical_accuracy, nested once per model output
    # (compile_utils.py MetricsContainer.build -> flatten_up_to); before any
    # fit()/evaluate() the user's list is kept as is.  "optimizer" is popped
    # and replaced by "optimizer_config" whose class_name comes from
    # get_registered_name(Adam) -- "Custom>Adam", because Keras 2.11+ registers
    # its new optimizers with @register_keras_serializable() (default package
    # "Custom") in keras/optimizers/adam.py.  Optimizer config keys and order:
    # keras/optimizers/optimizer.py _BaseOptimizer.get_config() then
    # adam.py Adam.get_config().  jit_compile is False on a machine without a
    # GPU (optimizer.py _BaseOptimizer.__init__).
    if model["trained"]:
        metrics = [[{"class_name": "MeanMetricWrapper", "config": {
            "name": "accuracy", "dtype": "float32",
            "fn": "sparse_categorical_accuracy"}}]]
    else:
        metrics = ["accuracy"]
    return {
        "loss": "sparse_categorical_crossentropy",
        "metrics": metrics,
        "weighted_metrics": None,
        "loss_weights": None,
        "optimizer_config": {"class_name": "Custom>Adam", "config": {
            "name": "Adam", "weight_decay": None, "clipnorm": None,
            "global_clipnorm": None, "clipvalue": None, "use_ema": False,
            "ema_momentum": 0.99, "ema_overwrite_frequency": None,
            "jit_compile": False, "is_legacy_optimizer": False,
            "learning_rate": LR_AS_SAVED, "beta_1": 0.9, "beta_2": 0.999,
            "epsilon": 1e-07, "amsgrad": False}},
    }


# --------------------------------------------------------------------------
# Keras 3.10 configs (legacy-h5 flavour and .keras flavour)
# --------------------------------------------------------------------------
# Sources (tag v3.10.0, all under keras/src/):
#  * legacy/saving/legacy_h5_format.py save_model_to_hdf5(): runs the config
#    serialization inside saving_options.keras_option_scope(use_legacy_config=
#    True).  With that flag, models/sequential.py Sequential.get_config() and
#    models/functional.py Functional.get_config() serialize their *layers* with
#    legacy/saving/serialization.py serialize_keras_object() ->
#    {"class_name": <registered name>, "config": {...}} (no "module").
#  * But everything *inside* a layer config is produced by the layer's own
#    get_config(), which always uses the new saving/serialization_lib.py:
#    initializers become {"module": "keras.initializers", "class_name": ...,
#    "config": ..., "registered_name": null} and the dtype is the serialized
#    DTypePolicy {"module": "keras", "class_name": "DTypePolicy", "config":
#    {"name": "float32"}, "registered_name": null}
#    (dtype_policies/__init__.py serialize(); layers/layer.py get_config()).
#  * layers/core/input_layer.py InputLayer.get_config(): "batch_shape"
#    (not batch_input_shape) and a plain dtype string.
#  * Sequential.get_config(): {"name", "trainable", "dtype", "layers",
#    "build_input_shape"}; the InputLayer (auto-named "input_layer") is the
#    first entry of "layers".
#  * Functional.get_config(): {"name", "trainable", "layers", "input_layers",
#    "output_layers"}; functional.py serialize_node() writes every inbound
#    node as {"args": [...], "kwargs": {...}} where tensors are
#    {"class_name": "__keras_tensor__", "config": {"shape", "dtype",
#    "keras_history": [layer, node_index, tensor_index]}}
#    (serialization_lib.py serialize_keras_object, KerasTensor branch).
#    Model name: ops/operation.py auto_name("Functional") -> "functional".
#  * saving/saving_lib.py _serialize_model_as_json(): the .keras config.json is
#    serialization_lib.serialize_keras_object(model) inside ObjectSharingScope:
#    every object is {"module", "class_name", "config", "registered_name"} plus
#    "build_config" (layers/layer.py get_build_config(): the input shape the
#    layer was built with; none for InputLayer and for pooling layers, which
#    are marked built in __init__ by Layer._build_at_init()) and, for models,
#    "compile_config" (trainers/trainer.py get_compile_config()).
#    Functional is not a public symbol, so it is written as module
#    "keras.src.models.functional", registered_name "Functional"
#    (serialization_lib.py serialize_with_public_class()).


class DTypePolicySerializer:
    """Returns the serialized global DTypePolicy.  With sharing=True it
    mimics ObjectSharingScope: the first serialization has no
    shared_object_id, every later one has it (the first config dict has
    already been copied into the output when the id is added to it)."""

    def __init__(self, sharing):
        self.sharing = sharing
        self.count = 0

    def __call__(self):
        d = {"module": "keras", "class_name": "DTypePolicy",
             "config": {"name": "float32"}, "registered_name": None}
        if self.sharing and self.count > 0:
            d["shared_object_id"] = DTYPE_POLICY_SHARED_ID
        self.count += 1
        return d


def k3_init(name):
    return {"module": "keras.initializers", "class_name": name,
            "config": {"seed": None} if name == "GlorotUniform" else {},
            "registered_name": None}


def k3_layer_config(L, dtype):
    c = {"name": L["name"], "trainable": True, "dtype": dtype()}
    t = L["type"]
    if t == "Flatten":
        c["data_format"] = "channels_last"
    elif t == "Dense":
        # layers/core/dense.py Dense.get_config(); activity_regularizer is only
        # added (by Layer.get_config) when it is set.
        c.update({
            "units": L["units"], "activation": L["activation"], "use_bias": True,
            "kernel_initializer": k3_init("GlorotUniform"),
            "bias_initializer": k3_init("Zeros"),
            "kernel_regularizer": None, "bias_regularizer": None,
            "kernel_constraint": None, "bias_constraint": None,
        })
    elif t == "Conv2D":
        c.update({
            "filters": L["filters"], "kernel_size": list(L["kernel_size"]),
            "strides": list(L.get("strides", (1, 1))), "padding": L.get("padding", "valid"),
            "data_format": "channels_last",
            "dilation_rate": [1, 1], "groups": 1, "activation": L["activation"],
            "use_bias": True,
            "kernel_initializer": k3_init("GlorotUniform"),
            "bias_initializer": k3_init("Zeros"),
            "kernel_regularizer": None, "bias_regularizer": None,
            "activity_regularizer": None, "kernel_constraint": None,
            "bias_constraint": None,
        })
    elif t in ("MaxPooling2D", "AveragePooling2D"):
        c.update({"pool_size": list(L["pool_size"]), "padding": "valid",
                  "strides": list(L["pool_size"]), "data_format": "channels_last"})
    elif t == "Add":
        pass
    elif t == "Concatenate":
        c["axis"] = -1
    elif t == "ZeroPadding2D":
        p = L["padding"]
        c.update({"padding": [[p, p], [p, p]], "data_format": "channels_last"})
    elif t == "BatchNormalization":
        # layers/normalization/batch_normalization.py get_config(): axis stays
        # as given (-1).
        c.update({
            "axis": -1, "momentum": 0.99, "epsilon": L["epsilon"], "center": True,
            "scale": True, "beta_initializer": k3_init("Zeros"),
            "gamma_initializer": k3_init("Ones"),
            "moving_mean_initializer": k3_init("Zeros"),
            "moving_variance_initializer": k3_init("Ones"),
            "beta_regularizer": None, "gamma_regularizer": None,
            "beta_constraint": None, "gamma_constraint": None,
            "synchronized": False,
        })
    elif t == "Activation":
        c["activation"] = L["activation"]
    elif t == "GlobalAveragePooling2D":
        c.update({"data_format": "channels_last", "keepdims": False})
    elif t == "Dropout":
        c.update({"rate": L["rate"], "seed": None, "noise_shape": None})
    elif t == "MyScaling":
        # A user-defined layer whose get_config() adds one key.
        c["factor"] = L["factor"]
    else:
        raise ValueError(t)
    return c


def k3_build_config(L, shapes, prev):
    """layers/layer.py get_build_config(): {"input_shape": <shape(s) the layer
    was built with>}; None for layers built in __init__ (pooling)."""
    if L["type"] not in ("Dense", "Conv2D", "BatchNormalization", "Flatten",
                         "Add", "Concatenate", "MyScaling"):
        # layers without weights or a build() of their own are built in
        # __init__ (Layer._build_at_init) and record no build shapes
        return None
    ins = L.get("inputs", [prev])
    s = [list(shapes[i]) for i in ins]
    return {"input_shape": s if len(s) > 1 else s[0]}


def k3_keras_tensor(src, shape):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": list(shape), "dtype": "float32",
                       "keras_history": [src, 0, 0]}}


def k3_class_name(L, flavour):
    """Legacy (h5) layer entries carry the *registered* name as class_name
    (legacy/saving/serialization.py); a custom layer registered with
    @keras.saving.register_keras_serializable(package="Custom") is therefore
    "Custom>MyScaling" there.  In .keras entries class_name is the bare class
    name and the registered name goes to "registered_name"."""
    if L["type"] == "MyScaling" and flavour == "legacy":
        return "Custom>MyScaling"
    return L["type"]


def k3_layer_entry(L, dtype, flavour, shapes, prev):
    cfg = k3_layer_config(L, dtype)
    if flavour == "legacy":
        return {"class_name": k3_class_name(L, flavour), "config": cfg}
    if L["type"] == "MyScaling":
        # serialization_lib.py: a registered class that is not a public Keras
        # symbol keeps its Python module -- and record_object_after_
        # serialization() rewrites module "__main__" to null.
        e = {"module": None, "class_name": "MyScaling", "config": cfg,
             "registered_name": "Custom>MyScaling"}
    else:
        e = {"module": "keras.layers", "class_name": L["type"], "config": cfg,
             "registered_name": None}
    bc = k3_build_config(L, shapes, prev)
    if bc is not None:
        e["build_config"] = bc
    return e


def k3_adam_config():
    # optimizers/base_optimizer.py BaseOptimizer.get_config() then
    # optimizers/adam.py Adam.get_config(); default name "adam".
    return {"name": "adam", "learning_rate": LR_AS_SAVED, "weight_decay": None,
            "clipnorm": None, "global_clipnorm": None, "clipvalue": None,
            "use_ema": False, "ema_momentum": 0.99,
            "ema_overwrite_frequency": None, "loss_scale_factor": None,
            "gradient_accumulation_steps": None, "beta_1": 0.9,
            "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}


def k3_compile_args():
    # trainers/trainer.py Trainer.compile() keeps the user's arguments in
    # self._compile_config (a SerializableDict) in this order; jit_compile is
    # the value resolved from "auto" (_resolve_auto_jit_compile(): False on a
    # CPU-only TensorFlow machine).
    return [("loss", "sparse_categorical_crossentropy"), ("loss_weights", None),
            ("metrics", ["accuracy"]), ("weighted_metrics", None),
            ("run_eagerly", False), ("steps_per_execution", 1),
            ("jit_compile", False)]


def k3_model_config(model, flavour):
    """flavour: "legacy" (model_config attribute of a Keras 3 .h5) or
    "keras" (the object inside config.json of a .keras archive)."""
    dtype = DTypePolicySerializer(sharing=(flavour == "keras"))
    shapes = output_shapes(model)
    layers = model["layers"]
    in_name = "input_layer"
    if model["kind"] == "sequential":
        inp = {"batch_shape": [None] + list(model["input_shape"]),
               "dtype": "float32", "sparse": False, "ragged": False,
               "name": in_name}
        if flavour == "legacy":
            entries = [{"class_name": "InputLayer", "config": inp}]
        else:
            entries = [{"module": "keras.layers", "class_name": "InputLayer",
                        "config": inp, "registered_name": None}]
        prev = "<input>"
        for L in layers:
            entries.append(k3_layer_entry(L, dtype, flavour, shapes, prev))
            prev = L["name"]
        # The model's own dtype is serialized after its layers.
        cfg = {"name": "sequential", "trainable": True, "dtype": dtype(),
               "layers": entries,
               "build_input_shape": [None] + list(model["input_shape"])}
        class_name = "Sequential"
    else:
        inp = {"batch_shape": [None] + list(model["input_shape"]),
               "dtype": "float32", "sparse": False, "ragged": False,
               "name": in_name}
        if flavour == "legacy":
            e0 = {"class_name": "InputLayer", "config": inp}
        else:
            e0 = {"module": "keras.layers", "class_name": "InputLayer",
                  "config": inp, "registered_name": None}
        e0["name"] = in_name
        e0["inbound_nodes"] = []
        entries = [e0]
        for L in layers:
            e = k3_layer_entry(L, dtype, flavour, shapes, None)
            srcs = [in_name if s == "<input>" else s for s in L["inputs"]]
            tensors = [k3_keras_tensor(s, shapes["<input>" if s == in_name else s])
                       for s in srcs]
            args = [tensors] if len(tensors) > 1 else tensors
            e["name"] = L["name"]
            e["inbound_nodes"] = [{"args": args, "kwargs": {}}]
            entries.append(e)
        cfg = {"name": "functional", "trainable": True, "layers": entries,
               "input_layers": [[in_name, 0, 0]],
               "output_layers": [[layers[-1]["name"], 0, 0]]}
        class_name = "Functional"

    if flavour == "legacy":
        return {"class_name": class_name, "config": cfg}

    if class_name == "Sequential":
        top = {"module": "keras", "class_name": "Sequential", "config": cfg,
               "registered_name": None,
               "build_config": {"input_shape": [None] + list(model["input_shape"])}}
    else:
        # Functional.__init__ calls self.build(None), so its build config
        # records input_shape=None.
        top = {"module": "keras.src.models.functional", "class_name": "Functional",
               "config": cfg, "registered_name": "Functional",
               "build_config": {"input_shape": None}}
    if model["compiled"]:
        cc = {"optimizer": {"module": "keras.optimizers", "class_name": "Adam",
                            "config": k3_adam_config(), "registered_name": None}}
        cc.update(k3_compile_args())
        top["compile_config"] = cc
    else:
        top["compile_config"] = {}  # Trainer.get_compile_config() of an uncompiled model
    return top


def k3_training_config():
    # legacy/saving/saving_utils.py model_metadata(): a copy of the compile
    # arguments without "optimizer", plus "optimizer_config" whose class_name
    # is get_registered_name(Adam) = "Adam" (Keras 3 does not register it).
    tc = dict(k3_compile_args())
    tc["optimizer_config"] = {"class_name": "Adam", "config": k3_adam_config()}
    return tc


# --------------------------------------------------------------------------
# Variable naming
# --------------------------------------------------------------------------
def k2_var_name(layer, var):
    # TF variable names inside the layer's name scope: "dense/kernel:0".
    return "%s/%s:0" % (layer, var)


def k3_var_path(model, layer, var):
    # backend/common/variables.py: Variable.path = current name-scope path +
    # "/" + name.  Layers of a Sequential model are built inside
    # Sequential.build(), which runs in the "sequential" name scope
    # (layers/layer.py build_wrapper), hence "sequential/dense/kernel".  The
    # layers of a functional model are built when they are called on the
    # Input tensors, outside any model scope, hence "a/kernel".
    if model["kind"] == "sequential":
        return "sequential/%s/%s" % (layer, var)
    return "%s/%s" % (layer, var)


def k2_optimizer_vars(model):
    """keras/optimizers/optimizer.py: _variables starts with the int64
    "iteration" counter created in __init__; build() (first apply_gradients,
    under tf.name_scope("Adam")) appends, per trainable variable, "m" then "v"
    via add_variable_from_reference(), named "<m|v>/<variable shared name>"."""
    tr = model["trained"]
    out = [("iteration:0", np.array(tr["iterations"] if tr else 0, dtype=np.int64))]
    if tr:
        for layer, var, m, v in tr["moments"]:
            out.append(("Adam/m/%s/%s:0" % (layer, var), m))
            out.append(("Adam/v/%s/%s:0" % (layer, var), v))
    return out


def k3_optimizer_vars(model):
    """optimizers/base_optimizer.py: variables = [iteration (int64 on TF),
    learning_rate (float32)] created in __init__ under the "adam" name scope,
    then build() appends per trainable variable a "momentum" and a "velocity"
    (adam.py; add_optimizer_variables interleaves them), each named
    <reference path with "/" -> "_">_<momentum|velocity>."""
    tr = model["trained"]
    out = [("adam/iteration", np.array(tr["iterations"] if tr else 0, dtype=np.int64)),
           ("adam/learning_rate", np.array(LR, dtype=np.float32))]
    if tr:
        for layer, var, m, v in tr["moments"]:
            base = k3_var_path(model, layer, var).replace("/", "_")
            out.append(("adam/%s_momentum" % base, m))
            out.append(("adam/%s_velocity" % base, v))
    return out


# --------------------------------------------------------------------------
# Legacy HDF5 writer (Keras 2.12 and Keras 3.10 share the structure)
# --------------------------------------------------------------------------
# Sources: keras/saving/legacy/hdf5_format.py (v2.12.0) and
# keras/src/legacy/saving/legacy_h5_format.py (v3.10.0):
#  save_model_to_hdf5():
#    - root attributes from model_metadata(): dict/list values are stored as
#      json.dumps(...).encode("utf8") (fixed-length byte strings), plain values
#      (keras_version, backend) as Python str (variable-length UTF-8).
#    - group "model_weights" (save_weights_to_hdf5_group()):
#        attrs layer_names (list of bytes, model.layers order; Sequential
#        omits its InputLayer, Functional includes it), backend and
#        keras_version (bytes);
#        one group per layer, created in *sorted* name order, with attr
#        weight_names (list of bytes; an empty Python list -> empty float64
#        array for weightless layers) and one dataset per weight at the path
#        given by its name (so "dense/kernel:0" creates a sub-group "dense");
#        an always-present, empty group "top_level_model_weights".
#    - group "optimizer_weights" (save_optimizer_weights_to_hdf5_group()),
#      only when the optimizer has variables: attr weight_names and one
#      dataset per variable, again at the path given by its name.
#  save_attributes_to_hdf5_group() would split an attribute bigger than 64512
#  bytes into name0, name1, ...; none of these fixtures needs that.
#  Datasets are created as create_dataset(name, shape, dtype=...) and then
#  filled, exactly like Keras does; h5py's defaults (contiguous layout, no
#  compression, no timestamps) are kept.


def write_legacy_h5(path, keras_version, model_config, training_config,
                    layer_names, layer_weights, opt_vars):
    """layer_weights: {layer_name: [(full_weight_name, array), ...]}"""
    with h5py.File(path, "w") as f:
        meta = {"keras_version": keras_version, "backend": BACKEND,
                "model_config": model_config}
        if training_config is not None:
            meta["training_config"] = training_config
        for k, v in meta.items():
            if isinstance(v, (dict, list, tuple)):
                f.attrs[k] = json.dumps(v).encode("utf8")
            else:
                f.attrs[k] = v
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = [n.encode("utf8") for n in layer_names]
        g.attrs["backend"] = BACKEND.encode("utf8")
        g.attrs["keras_version"] = keras_version.encode("utf8")
        for name in sorted(layer_names):
            lg = g.create_group(name)
            _write_weight_subset(lg, layer_weights.get(name, []))
        _write_weight_subset(g.create_group("top_level_model_weights"), [])
        if opt_vars:
            og = f.create_group("optimizer_weights")
            _write_weight_subset(og, opt_vars)
        f.flush()


def _write_weight_subset(group, named_values):
    names = [n.encode("utf8") for n, _ in named_values]
    group.attrs["weight_names"] = names  # [] -> empty float64 array, as in Keras
    for name, val in zip(names, [v for _, v in named_values]):
        ds = group.create_dataset(name, val.shape, dtype=val.dtype, track_times=False)
        if not val.shape:
            ds[()] = val
        else:
            ds[:] = val


def save_keras2_h5(model, path):
    lw = {L["name"]: [(k2_var_name(L["name"], v), a) for v, a in model["weights"].get(L["name"], [])]
          for L in model["layers"]}
    names = [L["name"] for L in model["layers"]]
    if model["kind"] == "functional":
        names = [model["input_name_k2"]] + names
    write_legacy_h5(
        path, KERAS2_VERSION, k2_model_config(model),
        k2_training_config(model) if model["compiled"] else None,
        names, lw, k2_optimizer_vars(model) if model["compiled"] else [])


def save_keras3_h5(model, path):
    lw = {L["name"]: [(k3_var_path(model, L["name"], v), a) for v, a in model["weights"].get(L["name"], [])]
          for L in model["layers"]}
    names = [L["name"] for L in model["layers"]]
    if model["kind"] == "functional":
        names = ["input_layer"] + names
    write_legacy_h5(
        path, KERAS3_VERSION, k3_model_config(model, "legacy"),
        k3_training_config() if model["compiled"] else None,
        names, lw, k3_optimizer_vars(model) if model["compiled"] else [])


# --------------------------------------------------------------------------
# Keras 3 native .keras writer
# --------------------------------------------------------------------------
# Source: keras/src/saving/saving_lib.py (v3.10.0).
#  _save_model_to_fileobj(): a zip (zipfile.ZipFile(f, "w"), i.e. ZIP_STORED)
#  whose entries are, in order:
#    metadata.json     {"keras_version": ..., "date_saved": "%Y-%m-%d@%H:%M:%S"}
#    config.json       json.dumps(serialize_keras_object(model))
#    model.weights.h5  an HDF5 file built in memory (H5IOStore with archive)
#  (an "assets" directory is only added when some object saves assets; none
#  of these models do).  zipfile gives every entry external_attr 0o600 << 16.
#
#  The weights file is filled by _save_state(), a walk over "saveables":
#    - each saveable that has save_own_variables() and a string name gets a
#      group "<inner_path>/vars" (the root model: "/vars") whose attribute
#      "name" is the object's name -- H5IOStore.make(path, metadata) creates
#      the group eagerly when metadata is given, so weightless layers have an
#      empty vars group too;
#    - variables are stored as datasets "0", "1", ... (Layer.save_own_
#      variables; Dense/BaseConv store [kernel, bias]; the optimizer stores
#      its variables list in order);
#    - children: first "layers" (for Sequential/Functional), then every other
#      attribute in sorted order with private ones last; the only other
#      saveable with variables here is the optimizer, at "optimizer".  Metrics
#      and losses have no save_own_variables(), so they add nothing.
#    - _save_container_state() names the members of a list by their *class*
#      (naming.to_snake_case(class name)), deduplicated with _1, _2, ... --
#      NOT by layer name.  A functional model with Dense layers "a", "b",
#      "dense", "dense_1" therefore stores them under layers/dense,
#      layers/dense_1, layers/dense_2, layers/dense_3, and the true layer name
#      is only in each vars group's "name" attribute.
#    - Sequential.layers omits the InputLayer, Functional.layers includes it.


def to_snake_case(name):
    """Class name -> Keras's snake_case key ("MaxPooling2D" -> "max_pooling2d",
    "InputLayer" -> "input_layer"): an underscore goes before a capital that
    starts a capitalised word (capital followed by a lower-case letter) or that
    follows a lower-case letter; digits never start a new word."""
    out = []
    for i, ch in enumerate(name):
        if i > 0 and ch.isupper():
            nxt = name[i + 1] if i + 1 < len(name) else ""
            if nxt.islower() or name[i - 1].islower():
                out.append("_")
        out.append(ch.lower())
    return "".join(out)


def build_keras_weights_h5(model):
    bio = io.BytesIO()
    f = h5py.File(bio, mode="w")
    top_name = "sequential" if model["kind"] == "sequential" else "functional"

    def make(path, name):
        grp = f.create_group("vars") if not path else f.create_group(path).create_group("vars")
        grp.attrs["name"] = name
        return grp

    make("", top_name)
    layers = list(model["layers"])
    if model["kind"] == "functional":
        layers = [{"type": "InputLayer", "name": "input_layer"}] + layers
    used = {}
    for L in layers:
        base = to_snake_case(L["type"])
        if base in used:
            used[base] += 1
            key = "%s_%d" % (base, used[base])
        else:
            used[base] = 0
            key = base
        grp = make("layers/" + key, L["name"])
        for i, (_, val) in enumerate(model["weights"].get(L["name"], [])):
            grp[str(i)] = val
    if model["compiled"]:
        grp = make("optimizer", "adam")
        for i, (_, val) in enumerate(k3_optimizer_vars(model)):
            grp[str(i)] = val
    f.close()
    return bio.getvalue()


def save_dot_keras(model, path):
    config_json = json.dumps(k3_model_config(model, "keras"))
    metadata_json = json.dumps({"keras_version": KERAS3_VERSION, "date_saved": DATE_SAVED})
    weights = build_keras_weights_h5(model)
    # Keras writes the two JSON entries with ZipFile.open(name, "w"), which
    # builds a bare ZipInfo(name): their DOS timestamp is the ZipInfo default
    # 1980-01-01 00:00:00.  The weights go through ZipFile.writestr(name, ...),
    # which stamps the current local time (pinned here to ZIP_DATE_TIME).
    # Both paths give STORED entries with external_attr 0o600 << 16.
    with open(path, "wb") as fobj:
        with zipfile.ZipFile(fobj, "w") as zf:
            for name, data, when in (
                    ("metadata.json", metadata_json.encode(), (1980, 1, 1, 0, 0, 0)),
                    ("config.json", config_json.encode(), (1980, 1, 1, 0, 0, 0)),
                    ("model.weights.h5", weights, ZIP_DATE_TIME)):
                zi = zipfile.ZipInfo(name, date_time=when)
                zi.compress_type = zipfile.ZIP_STORED
                zi.external_attr = 0o600 << 16
                with zf.open(zi, "w") as dest:
                    dest.write(data)


# --------------------------------------------------------------------------
# Model definitions
# --------------------------------------------------------------------------
def mlp_model():
    w = {n: np.load(os.path.join(PEER_DIR, n + ".npy")) for n in ("W1", "b1", "W2", "b2")}
    for n, a in w.items():
        assert a.dtype == np.float32, (n, a.dtype)
    assert w["W1"].shape == (784, 128) and w["W2"].shape == (128, 10)
    return {
        "kind": "sequential", "input_shape": (28, 28),
        "layers": [
            {"type": "Flatten", "name": "flatten"},
            {"type": "Dense", "name": "dense", "units": 128, "activation": "relu"},
            {"type": "Dense", "name": "dense_1", "units": 10, "activation": "softmax"},
        ],
        "weights": {"dense": [("kernel", w["W1"]), ("bias", w["b1"])],
                    "dense_1": [("kernel", w["W2"]), ("bias", w["b2"])]},
        "compiled": True, "trained": None,
    }


def cnn_model(xtr, ytr, xte, yte):
    torch.manual_seed(SEED)
    net = TorchCnn()
    x_train = torch.from_numpy(pixels(xtr[:TRAIN_IMAGES]))[:, None]
    y_train = torch.from_numpy(ytr[:TRAIN_IMAGES].astype(np.int64))
    x_test = torch.from_numpy(pixels(xte))[:, None]
    y_test = torch.from_numpy(yte.astype(np.int64))
    opt, steps, acc = train_torch(net, x_train, y_train, x_test, y_test)
    weights, moments = torch_to_keras_params(opt, [
        ("conv2d", "kernel", net.conv.weight, conv_kernel_to_keras),
        ("conv2d", "bias", net.conv.bias, np.asarray),
        ("dense", "kernel", net.fc.weight, cnn_dense_kernel_to_keras),
        ("dense", "bias", net.fc.bias, np.asarray),
    ])
    with torch.no_grad():
        torch_probs = F.softmax(net(x_test[:100]), dim=1).double().numpy()
    model = {
        "kind": "sequential", "input_shape": (28, 28, 1),
        "layers": [
            {"type": "Conv2D", "name": "conv2d", "filters": 8, "kernel_size": (3, 3),
             "activation": "relu"},
            {"type": "MaxPooling2D", "name": "max_pooling2d", "pool_size": (2, 2)},
            {"type": "Flatten", "name": "flatten"},
            {"type": "Dense", "name": "dense", "units": 10, "activation": "softmax"},
        ],
        "weights": weights, "compiled": True,
        "trained": {"iterations": steps, "moments": moments},
    }
    return model, acc, torch_probs


def branch_model(xtr, ytr, xte, yte):
    torch.manual_seed(SEED)
    net = TorchBranch()
    x_train = torch.from_numpy(pixels(xtr[:TRAIN_IMAGES]).reshape(-1, 784))
    y_train = torch.from_numpy(ytr[:TRAIN_IMAGES].astype(np.int64))
    x_test = torch.from_numpy(pixels(xte).reshape(-1, 784))
    y_test = torch.from_numpy(yte.astype(np.int64))
    opt, steps, acc = train_torch(net, x_train, y_train, x_test, y_test)
    lin = linear_kernel_to_keras
    weights, moments = torch_to_keras_params(opt, [
        ("a", "kernel", net.a.weight, lin), ("a", "bias", net.a.bias, np.asarray),
        ("b", "kernel", net.b.weight, lin), ("b", "bias", net.b.bias, np.asarray),
        ("dense", "kernel", net.hidden.weight, lin), ("dense", "bias", net.hidden.bias, np.asarray),
        ("dense_1", "kernel", net.out.weight, lin), ("dense_1", "bias", net.out.bias, np.asarray),
    ])
    with torch.no_grad():
        torch_probs = F.softmax(net(x_test[:100]), dim=1).double().numpy()
    # Layer order = Keras's topological order (functional.py _map_graph_network
    # / ops/function.py map_graph: by depth, ties by first DFS visit from the
    # output): input, a, b, add, dense, concatenate, dense_1.
    model = {
        "kind": "functional", "input_shape": (784,), "input_name_k2": "input_1",
        "layers": [
            {"type": "Dense", "name": "a", "units": 32, "activation": "relu", "inputs": ["<input>"]},
            {"type": "Dense", "name": "b", "units": 32, "activation": "relu", "inputs": ["<input>"]},
            {"type": "Add", "name": "add", "inputs": ["a", "b"]},
            {"type": "Dense", "name": "dense", "units": 16, "activation": "relu", "inputs": ["add"]},
            {"type": "Concatenate", "name": "concatenate", "inputs": ["dense", "a"]},
            {"type": "Dense", "name": "dense_1", "units": 10, "activation": "softmax",
             "inputs": ["concatenate"]},
        ],
        "weights": weights, "compiled": True,
        "trained": {"iterations": steps, "moments": moments},
    }
    return model, acc, torch_probs


def glorot(rng, fan_in, fan_out):
    lim = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-lim, lim, size=(fan_in, fan_out)).astype(np.float32)


# Inert text used instead of marshalled bytecode in the Lambda fixture.
LAMBDA_DUMMY_PAYLOAD = (
    b"RobustUnit test fixture: this is NOT marshalled Python bytecode. "
    b"A Keras importer must refuse Lambda layers and must never decode, "
    b"unmarshal or execute this payload."
)


def base64_like_codecs(data):
    """Same shape as codecs.encode(data, "base64").decode("ascii"), which
    Keras 2's generic_utils.func_dump() uses: 76-character lines, each ending
    with a newline."""
    import base64
    return base64.encodebytes(data).decode("ascii")


# The "layers" model: every layer RobustUnit imports that the three trained
# models do not use, with seeded random weights.  It is not trained: its
# expected probabilities check the import's arithmetic, not a classifier.
# Layer names are the ones Keras gives a fresh Sequential.
LAYERS_SPEC = [
    {"type": "ZeroPadding2D", "name": "zero_padding2d", "padding": 1},
    {"type": "Conv2D", "name": "conv2d", "filters": 4, "kernel_size": (3, 3),
     "strides": (2, 2), "padding": "same", "activation": "linear"},
    {"type": "BatchNormalization", "name": "batch_normalization", "epsilon": 0.001},
    {"type": "Activation", "name": "activation", "activation": "relu"},
    {"type": "AveragePooling2D", "name": "average_pooling2d", "pool_size": (2, 2)},
    {"type": "Conv2D", "name": "conv2d_1", "filters": 8, "kernel_size": (3, 3),
     "activation": "tanh"},
    {"type": "GlobalAveragePooling2D", "name": "global_average_pooling2d"},
    {"type": "Dropout", "name": "dropout", "rate": 0.5},
    {"type": "Dense", "name": "dense", "units": 10, "activation": "linear"},
    {"type": "Activation", "name": "activation_1", "activation": "softmax"},
]


def layers_model():
    rng = np.random.default_rng(SEED + 2)

    def uniform(lo, hi, *shape):
        return rng.uniform(lo, hi, size=shape).astype(np.float32)

    weights = {
        "conv2d": [("kernel", uniform(-0.5, 0.5, 3, 3, 1, 4)), ("bias", uniform(-0.1, 0.1, 4))],
        "batch_normalization": [("gamma", uniform(0.5, 1.5, 4)), ("beta", uniform(-0.5, 0.5, 4)),
                                ("moving_mean", uniform(-0.1, 0.1, 4)),
                                ("moving_variance", uniform(0.05, 0.5, 4))],
        "conv2d_1": [("kernel", uniform(-0.5, 0.5, 3, 3, 4, 8)), ("bias", uniform(-0.1, 0.1, 8))],
        "dense": [("kernel", uniform(-2.0, 2.0, 8, 10)), ("bias", uniform(-0.5, 0.5, 10))],
    }
    return {"kind": "sequential", "input_shape": (28, 28, 1), "layers": LAYERS_SPEC,
            "weights": weights, "compiled": False, "trained": None}


def lambda_model():
    rng = np.random.default_rng(SEED)
    return {
        "kind": "sequential", "input_shape": (28, 28),
        "layers": [
            {"type": "Flatten", "name": "flatten"},
            {"type": "Lambda", "name": "lambda",
             "function_b64": base64_like_codecs(LAMBDA_DUMMY_PAYLOAD)},
            {"type": "Dense", "name": "dense", "units": 10, "activation": "softmax"},
        ],
        "weights": {"dense": [("kernel", glorot(rng, 784, 10)),
                              ("bias", np.zeros(10, np.float32))]},
        "compiled": False, "trained": None,
    }


def custom_model():
    rng = np.random.default_rng(SEED + 1)
    return {
        "kind": "sequential", "input_shape": (28, 28),
        "layers": [
            {"type": "Flatten", "name": "flatten"},
            {"type": "MyScaling", "name": "my_scaling", "factor": 0.5},
            {"type": "Dense", "name": "dense", "units": 10, "activation": "softmax"},
        ],
        "weights": {"dense": [("kernel", glorot(rng, 784, 10)),
                              ("bias", np.zeros(10, np.float32))]},
        "compiled": False, "trained": None,
    }


# --------------------------------------------------------------------------
# Read-back checks and dump helper
# --------------------------------------------------------------------------
def _attr_type(attrs, key):
    """Human-readable HDF5 type of an attribute."""
    aid = attrs.get_id(key)
    info = h5py.check_string_dtype(aid.dtype)
    shape = aid.shape
    if info is not None:
        kind = "vlen" if info.length is None else "fixed[%d]" % info.length
        return "%s %s string%s" % (kind, info.encoding, " %s" % (shape,) if shape else "")
    return "%s%s" % (aid.dtype, " %s" % (shape,) if shape else "")


def _attr_repr(v, limit=96):
    if isinstance(v, (bytes, np.bytes_)):
        v = v.decode("utf8", "replace")
    if isinstance(v, str):
        return json.dumps(v if len(v) <= limit else v[:limit - 3] + "...")
    if isinstance(v, np.ndarray):
        return json.dumps([_s(x) if isinstance(x, (bytes, str)) else x for x in v.tolist()])
    return repr(v)


def dump_h5_bytes(data, label, out=sys.stdout):
    with h5py.File(io.BytesIO(data), "r") as f:
        dump_h5(f, label, out)


def dump_h5(f, label, out=sys.stdout):
    out.write("== %s\n" % label)
    for k, v in f.attrs.items():
        out.write("/ @%s (%s) = %s\n" % (k, _attr_type(f.attrs, k), _attr_repr(v)))

    def visit(name, obj):
        kind = "Group" if isinstance(obj, h5py.Group) else "Dataset %s %s" % (obj.dtype, obj.shape)
        out.write("/%s  %s\n" % (name, kind))
        for k, v in obj.attrs.items():
            out.write("    @%s (%s) = %s\n" % (k, _attr_type(obj.attrs, k), _attr_repr(v)))
        if isinstance(obj, h5py.Dataset) and obj.shape == ():
            out.write("    value = %r\n" % (obj[()].item(),))
    f.visititems(visit)


def dump_file(path, out=sys.stdout):
    if path.endswith(".keras"):
        with zipfile.ZipFile(path) as zf:
            for zi in zf.infolist():
                out.write("zip entry %-18s %8d bytes  date %s  attr %o\n"
                          % (zi.filename, zi.file_size, zi.date_time, zi.external_attr >> 16))
            out.write("metadata.json: %s\n" % zf.read("metadata.json").decode())
            dump_h5_bytes(zf.read("model.weights.h5"), path + "!model.weights.h5", out)
    else:
        with h5py.File(path, "r") as f:
            dump_h5(f, path, out)


def _s(v):
    """h5py >= 3 stores the Python bytes Keras writes as variable-length ASCII
    strings and returns them as str; older files have fixed-length bytes."""
    return v.decode("utf8") if isinstance(v, (bytes, np.bytes_)) else str(v)


def check_legacy_h5(path, model, expected, xte, kind):
    """Read the weights back the way a Keras loader would (layer_names ->
    weight_names -> datasets) and re-run the reference forward pass."""
    with h5py.File(path, "r") as f:
        mc = f.attrs["model_config"]
        mc = json.loads(mc.decode("utf8") if hasattr(mc, "decode") else mc)
        assert mc["class_name"] in ("Sequential", "Functional")
        g = f["model_weights"]
        w = {}
        for lname in [_s(n) for n in g.attrs["layer_names"]]:
            names = [_s(n) for n in g[lname].attrs["weight_names"]]
            if len(names):
                w[lname] = [(n.split("/")[-1].split(":")[0], g[lname][n][()])
                            for n in names]
    probs = FORWARD[kind](w, pixels(xte[:100]))
    assert np.allclose(probs, expected, atol=1e-6), path


def check_dot_keras(path, model, expected, xte, kind):
    with zipfile.ZipFile(path) as zf:
        assert [zi.filename for zi in zf.infolist()] == [
            "metadata.json", "config.json", "model.weights.h5"]
        cfg = json.loads(zf.read("config.json"))
        data = zf.read("model.weights.h5")
    layers = cfg["config"]["layers"]
    if cfg["class_name"] == "Sequential":
        layers = layers[1:]  # Sequential.layers omits the InputLayer
    w = {}
    used = {}
    with h5py.File(io.BytesIO(data), "r") as f:
        for e in layers:
            base = to_snake_case(e["class_name"])
            used[base] = used.get(base, -1) + 1
            key = base if used[base] == 0 else "%s_%d" % (base, used[base])
            grp = f["layers/%s/vars" % key]
            assert grp.attrs["name"] == e["config"]["name"]
            if len(grp):
                vals = [grp[str(i)][()] for i in range(len(grp))]
                names = (["gamma", "beta", "moving_mean", "moving_variance"]
                         if e["class_name"] == "BatchNormalization" else ["kernel", "bias"])
                w[e["config"]["name"]] = list(zip(names, vals))
    probs = FORWARD[kind](w, pixels(xte[:100]))
    assert np.allclose(probs, expected, atol=1e-6), path


FORWARD = {"mlp": forward_mlp, "cnn": forward_cnn, "branch": forward_branch,
           "layers": lambda w, x: forward_sequential(LAYERS_SPEC, w, x)}


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------
def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dump", nargs="+", metavar="FILE",
                    help="print an h5ls -r like listing of .h5/.keras files and exit")
    args = ap.parse_args(argv)
    if args.dump:
        for p in args.dump:
            dump_file(p)
        return 0

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(OUT_DIR, exist_ok=True)
    xtr, ytr, xte, yte = load_mnist()
    x100 = pixels(xte[:100])

    models = {}
    models["mlp"] = mlp_model()
    cnn, cnn_acc, cnn_torch = cnn_model(xtr, ytr, xte, yte)
    models["cnn"] = cnn
    branch, branch_acc, branch_torch = branch_model(xtr, ytr, xte, yte)
    models["branch"] = branch
    models["layers"] = layers_model()
    print("cnn    test accuracy (10,000 test images): %.4f  (%d Adam steps)"
          % (cnn_acc, cnn["trained"]["iterations"]))
    print("branch test accuracy (10,000 test images): %.4f  (%d Adam steps)"
          % (branch_acc, branch["trained"]["iterations"]))

    for kind, model in models.items():
        probs = FORWARD[kind](model["weights"], x100)
        if kind == "cnn":
            assert np.allclose(probs, cnn_torch, atol=1e-5), "cnn layout conversion"
        if kind == "branch":
            assert np.allclose(probs, branch_torch, atol=1e-5), "branch layout conversion"
        expected = probs.astype(np.float32)
        np.save(os.path.join(OUT_DIR, "%s-expected.npy" % kind), expected)
        p2 = os.path.join(OUT_DIR, "%s-keras2.h5" % kind)
        p3 = os.path.join(OUT_DIR, "%s-keras3.h5" % kind)
        pk = os.path.join(OUT_DIR, "%s.keras" % kind)
        save_keras2_h5(model, p2)
        save_keras3_h5(model, p3)
        save_dot_keras(model, pk)
        for p in (p2, p3):
            check_legacy_h5(p, model, expected, xte, kind)
        check_dot_keras(pk, model, expected, xte, kind)
        acc100 = (probs.argmax(1) == yte[:100]).mean()
        print("%-6s expected probabilities written; accuracy on those 100 images: %.2f"
              % (kind, acc100))

    # Error fixtures -------------------------------------------------------
    save_keras2_h5(lambda_model(), os.path.join(OUT_DIR, "lambda-keras2.h5"))
    save_keras3_h5(custom_model(), os.path.join(OUT_DIR, "custom-keras3.h5"))
    save_dot_keras(custom_model(), os.path.join(OUT_DIR, "custom.keras"))
    with open(os.path.join(OUT_DIR, "mlp-keras2.h5"), "rb") as f:
        head = f.read(2000)
    with open(os.path.join(OUT_DIR, "truncated-keras2.h5"), "wb") as f:
        f.write(head)

    for name in sorted(os.listdir(OUT_DIR)):
        size = os.path.getsize(os.path.join(OUT_DIR, name))
        assert size < 1_000_000, name
        print("  %-22s %8d bytes" % (name, size))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
