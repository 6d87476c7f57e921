"""Lifting an implementation: ResNet's first layer through torch, checked against correlation.

Usage::

    python benchmarks/lift.py          # ResNet conv1, 3 -> 64, 7x7, stride 2, pad 3, 224x224

Figures: wall-clock seconds of ``symconv.implementations.check_layer`` on
``torch.nn.functional.conv2d`` (float64) at ResNet's first layer (target < 10 s), the
calls of the function it made, and the calls of ``symconv.lift`` (which builds the
index form) at a few input sizes with the same channels and kernel, to show that the
calls grow with ``in_channels x kernel size`` and not with the input size.
"""

from __future__ import annotations

import sys
import time

import symconv as sc
from symconv.implementations import check_layer

try:
    import torch
except ImportError:  # pragma: no cover - torch is an optional backend
    print("torch is not installed: nothing to measure")
    sys.exit(3)

TARGET_SECONDS = 10.0


def conv2d(x, w, **kwargs):
    """torch's conv2d in symconv's layouts (one image, float64)."""
    return torch.nn.functional.conv2d(torch.from_numpy(x)[None], torch.from_numpy(w),
                                      **kwargs)[0].numpy()


def resnet_conv1() -> bool:
    geometry = sc.Geometry((224, 224), (7, 7), stride=2, padding=3)
    start = time.perf_counter()
    proof = check_layer(conv2d, geometry, in_channels=3, out_channels=64)
    seconds = time.perf_counter() - start
    entries = 64 * 3 * 49 * 112 * 112
    ok = proof.verdict == "verified" and seconds < TARGET_SECONDS
    print(f"ResNet conv1 3->64 7x7 s2 p3 224x224, torch conv2d vs correlation: "
          f"{proof.verdict} in {seconds:.2f} s (target < {TARGET_SECONDS:.0f} s) "
          f"{'ok' if ok else 'MISSED'}")
    print(f"    {proof.steps[1].text.split(';')[0]}; the matrix it decides has at most {entries:,} "
          "stored entries, none built")
    return ok


def lift_calls() -> bool:
    calls = []
    for size in (16, 32, 64):
        op = sc.lift(conv2d, (size, size), (7, 7), in_channels=3, out_channels=64, stride=2,
                     padding=3, symbolic=False)
        calls.append(op.fn_calls)
        print(f"sc.lift at {size}x{size}, 3->64, 7x7: {op.fn_calls} calls of fn "
              f"(3 x 49 probes + 16 checks), {len(op.rows):,} index-form entries")
    return len(set(calls)) == 1


def main() -> int:
    return 0 if resnet_conv1() & lift_calls() else 1


if __name__ == "__main__":
    sys.exit(main())
