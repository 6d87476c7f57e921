"""Lifting an implementation: ResNet's first layer through torch, checked against correlation.

Usage::

    python benchmarks/lift.py          # ResNet conv1, 3 -> 64, 7x7, stride 2, pad 3, 224x224

Figures: wall-clock seconds of ``symconv.implementations.check_layer`` on
``torch.nn.functional.conv2d`` (float64) at ResNet's first layer (target < 10 s; the
median of three runs, with min and max, and the machine's load average, since the
figure moves with the load; with torch's default threads and with one thread, which on a
loaded machine is faster; the target counts as met if either run meets it), the calls
of the function it made, and the calls of ``symconv.lift`` (which builds the index
form) at a few input sizes with the same channels and kernel, to show that the calls
grow with ``in_channels x kernel size`` and not with the input size. Then the cost of a
whole ``check_implementation`` over a 2-D domain (non-square inputs and kernels), with
torch's default threads and with one thread (tiny convolutions are dominated by thread
start-up), and of a pooling lift (``lift_linear``: one call per input entry, so it grows
with the input).
"""

from __future__ import annotations

import os
import statistics
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


def resnet_conv1(threads: int, runs: int = 3) -> bool:
    geometry = sc.Geometry((224, 224), (7, 7), stride=2, padding=3)
    default = torch.get_num_threads()
    torch.set_num_threads(threads)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proof = check_layer(conv2d, geometry, in_channels=3, out_channels=64)
        times.append(time.perf_counter() - start)
    torch.set_num_threads(default)
    seconds = statistics.median(times)
    entries = 64 * 3 * 49 * 112 * 112
    ok = proof.verdict == "verified" and seconds < TARGET_SECONDS
    print(f"ResNet conv1 3->64 7x7 s2 p3 224x224, torch conv2d vs correlation: "
          f"{proof.verdict} in {seconds:.2f} s median of {runs} (min {min(times):.2f}, max "
          f"{max(times):.2f}; {threads} torch thread(s); load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores) "
          f"(target < {TARGET_SECONDS:.0f} s) {'ok' if ok else 'MISSED'}")
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


def whole_domain(domain: str = "n <= 4, m <= 4") -> bool:
    threads = torch.get_num_threads()
    verdicts = []
    for count in (threads, 1):
        torch.set_num_threads(count)
        start = time.perf_counter()
        proof = sc.check_implementation(conv2d, ndim=2, domain=domain)
        seconds = time.perf_counter() - start
        points = int(proof.steps[1].text.split("each of the ")[1].split()[0])
        calls = int(proof.steps[0].text.split(". ")[-1].split()[0])
        print(f"check_implementation(torch conv2d, ndim=2) on {proof.domain}: {proof.verdict}, "
              f"{points} geometries, {calls} calls of fn, {seconds:.1f} s with {count} torch "
              f"thread(s) ({1e3 * seconds / points:.1f} ms per geometry)")
        verdicts.append(proof.verdict)
    torch.set_num_threads(threads)
    return verdicts == ["verified", "verified"]


def pool_lift_calls() -> bool:
    from symconv.lift import lift_linear

    calls = []
    for size in (8, 16, 32):
        op = lift_linear(lambda x, **kw: torch.nn.functional.avg_pool2d(
            torch.from_numpy(x)[None], **kw)[0].numpy(), (size, size), channels=3,
            max_denominator=9, kernel_size=3, stride=2, padding=1)
        calls.append(op.fn_calls)
        print(f"lift_linear of torch avg_pool2d 3x3 s2 p1 at 3x{size}x{size}: {op.fn_calls} calls "
              f"(3 x {size * size} basis probes + 11 checks)")
    return calls == [3 * size * size + 11 for size in (8, 16, 32)]


def main() -> int:
    resnet = [resnet_conv1(threads) for threads in (torch.get_num_threads(), 1)]
    return 0 if any(resnet) & lift_calls() & whole_domain() & pool_lift_calls() else 1


if __name__ == "__main__":
    sys.exit(main())
