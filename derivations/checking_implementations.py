"""Checking a hand-written convolution: the classic ``conv_forward_naive`` and three of its bugs.

The exercise (a convolutional-networks course's first assignment) asks for the naive
forward pass in NCHW layout, ``out, cache = conv_forward_naive(x, w, b, conv_param)``
with ``conv_param = {"stride": s, "pad": p}``. Below it is written the way that
exercise writes it, then with three mistakes students make:

1. the output size without the ``+ 1`` (one window too few);
2. the kernel flipped, "because convolution flips the kernel" (the frameworks do not);
3. the kernel's two spatial axes read the wrong way round (``w[f, :, j, i]``).

``symconv.check_implementation`` lifts each one to its exact symbolic matrix at every
2-D geometry of a small domain: inputs n x m and kernels K x L of every size in it,
square or not (zero bias: the lift needs a bilinear function, and a bias is refused by
name), compares it with the correlation symconv builds, and says
which known mistake a refuted one makes. Run ``python derivations/checking_implementations.py``;
exits 1 if any verdict or diagnosis is not the expected one.

Bug 3 is checked on square sizes too (``square=True``: ``m = n``, ``L = K``): on a
K x L kernel with K != L the transposed kernel no longer matches the window and NumPy
broadcasts the product into a sum over every pair of taps, which is none of the known
variants (the check says so).

Then the exercise's average pool, with the divisor students reach for first (the
number of real samples in the window), checked against PyTorch's default
``count_include_pad=True``: refuted, and diagnosed as the other convention.
"""

import sys

import numpy as np

import symconv as sc
from symconv.lift import NotBilinearError

DOMAIN = "1 <= n <= 4, 1 <= K <= 3, 1 <= s <= 2, 0 <= p <= 1, d = 1"


def conv_forward_naive(x, w, b, conv_param, output_size_plus_one=1, flip=False,
                       swap_axes=False):
    """The naive forward pass, NCHW, as the exercise writes it (with optional bugs)."""
    stride, pad = conv_param["stride"], conv_param["pad"]
    n_images, _, height, width = x.shape
    filters, _, hh, ww = w.shape
    out_h = (height + 2 * pad - hh) // stride + output_size_plus_one
    out_w = (width + 2 * pad - ww) // stride + output_size_plus_one
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((n_images, filters, out_h, out_w))
    for n in range(n_images):
        for f in range(filters):
            kernel = w[f, :, ::-1, ::-1] if flip else w[f]
            if swap_axes:
                kernel = kernel.transpose(0, 2, 1)
            for i in range(out_h):
                for j in range(out_w):
                    window = x_pad[n, :, i * stride:i * stride + hh, j * stride:j * stride + ww]
                    out[n, f, i, j] = np.sum(window * kernel) + b[f]
    return out, (x, w, b, conv_param)


def adapter(bias=0.0, **bug):
    """symconv's calling convention: one image (C, H, W), keywords stride/padding/dilation."""
    def fn(x, w, stride=1, padding=0, dilation=1):
        b = np.full(w.shape[0], bias)
        out, _ = conv_forward_naive(x[None], w, b, {"stride": stride, "pad": padding}, **bug)
        return out[0]
    fn.__name__ = "conv_forward_naive" + "".join(f"[{k}={v}]" for k, v in bug.items())
    return fn


def avg_pool_forward_naive(x, pool_param):
    """The naive average pool, NCHW, dividing by the real samples in each window."""
    k, stride, pad = pool_param["size"], pool_param["stride"], pool_param["pad"]
    n_images, channels, height, width = x.shape
    out_h, out_w = (height + 2 * pad - k) // stride + 1, (width + 2 * pad - k) // stride + 1
    out = np.zeros((n_images, channels, out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            top, left = i * stride - pad, j * stride - pad
            window = x[:, :, max(top, 0):top + k, max(left, 0):left + k]
            out[:, :, i, j] = window.mean(axis=(2, 3))
    return out


def pool_adapter(x, kernel_size, stride, padding):
    """symconv's calling convention for a pool: one image, keywords kernel_size/stride/padding."""
    return avg_pool_forward_naive(x[None], {"size": kernel_size[0], "stride": stride,
                                            "pad": padding})[0]


CASES = [
    ("as written", {}, False, "verified", None),
    ("bug 1: output size without + 1", {"output_size_plus_one": 0}, False, "refuted",
     "output size off by one window (one too few)"),
    ("bug 2: kernel flipped", {"flip": True}, False, "refuted", "kernel flipped"),
    ("bug 3: kernel axes read the wrong way round", {"swap_axes": True}, True,
     "refuted", "kernel axes transposed"),
    ("bug 3 on non-square kernels", {"swap_axes": True}, False, "refuted",
     "none of the known variants"),
]


POOL_DIAGNOSIS = "divisor excludes the padding (count_include_pad=False)"


def main() -> int:
    unexpected = []
    for title, bug, square, verdict, diagnosis in CASES:
        proof = sc.check_implementation(adapter(**bug), "correlation", domain=DOMAIN, ndim=2,
                                        square=square)
        print(f"\n##### {title}  (expected: {verdict}"
              + (f", {diagnosis})" if diagnosis else ")"))
        print(proof.text())
        if proof.diagnosis:
            print(f"Diagnosis: {proof.diagnosis}")
        if (proof.verdict, proof.diagnosis) != (verdict, diagnosis):
            unexpected.append(f"{title}: {proof.verdict} ({proof.diagnosis}), expected "
                              f"{verdict} ({diagnosis})")
    pool = sc.check_implementation(pool_adapter, "avg_pool", ndim=2, square=True,
                                   domain="n <= 4, K <= 3, s <= 2, p <= 1")
    print("\n##### the naive average pool, dividing by the real samples (expected: refuted, "
          "divisor excludes the padding)")
    print(pool.text())
    if (pool.verdict, pool.diagnosis) != ("refuted", POOL_DIAGNOSIS):
        unexpected.append(f"average pool: {pool.verdict} ({pool.diagnosis})")
    try:
        sc.lift(adapter(bias=0.5), (4, 4), (3, 3))
        unexpected.append("a nonzero bias was lifted, expected a refusal")
    except NotBilinearError as error:
        print(f"\n##### with a bias of 0.5: refused -- {error}")
    print("\n" + ("\n".join(unexpected) if unexpected else
                  f"All {len(CASES) + 2} verdicts are the expected ones."))
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
