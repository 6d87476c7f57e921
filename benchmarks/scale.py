"""Layers at framework scale: ``prove("transpose")`` and ``prove("adjoint")``.

Usage::

    python benchmarks/scale.py             # the targets of issue 17, item 3
    python benchmarks/scale.py --markdown  # as README rows

CPU seconds (``time.process_time``) of one proof in a warm process (after a small proof
of the same theorem has paid the one-time costs), and the max RSS of the whole process so
far (``getrusage``, not a tracemalloc peak: it includes the interpreter, SymPy, NumPy and
every earlier row, so a row's own peak is at most this). The one-channel 1344x1344 rows
are proved on their per-axis Kronecker factors (``structure.prove_by_factors``).

Examples
--------
>>> LAYERS["64->64 3x3 28x28"]["in_channels"]
64
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import symconv as sc

LAYERS = {
    "64->64 3x3 28x28": dict(input_shape=(28, 28), kernel_shape=(3, 3), stride=1, padding=1,
                             in_channels=64, out_channels=64),
    "128->128 3x3 14x14": dict(input_shape=(14, 14), kernel_shape=(3, 3), stride=1,
                               padding=1, in_channels=128, out_channels=128),
    "256->256 3x3 14x14": dict(input_shape=(14, 14), kernel_shape=(3, 3), stride=1,
                               padding=1, in_channels=256, out_channels=256),
    "64->64 7x7 28x28": dict(input_shape=(28, 28), kernel_shape=(7, 7), stride=1, padding=3,
                             in_channels=64, out_channels=64),
    "ResNet conv1 3->64 7x7 s2 p3 224x224": dict(input_shape=(224, 224), kernel_shape=(7, 7),
                                                 stride=2, padding=3, in_channels=3,
                                                 out_channels=64),
    "1344x1344 3x3 s1 p1, one channel": dict(input_shape=(1344, 1344), kernel_shape=(3, 3),
                                             stride=1, padding=1),
    "1344x1344 7x7 s2 p3, one channel": dict(input_shape=(1344, 1344), kernel_shape=(7, 7),
                                             stride=2, padding=3),
}
TARGETS = {"64->64 3x3 28x28": 3.0, "256->256 3x3 14x14": 10.0,
           "ResNet conv1 3->64 7x7 s2 p3 224x224": 2.0,
           "1344x1344 3x3 s1 p1, one channel": 1.0, "1344x1344 7x7 s2 p3, one channel": 1.0}
#: Max RSS targets (bytes, whole process so far) of issue 17.
RSS_TARGETS = {"1344x1344 3x3 s1 p1, one channel": 500 * 2**20,
               "1344x1344 7x7 s2 p3, one channel": 500 * 2**20}


def measure(theorem: str, layer: dict) -> tuple[float, str, list[str], int]:
    """CPU seconds, verdict, evidence and max RSS (bytes) of one warm proof."""
    start = time.process_time()
    proof = sc.prove(theorem, **layer)
    took = time.process_time() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return took, proof.verdict, list(proof.evidence), rss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true")
    rows, ok = [], True
    parser.add_argument("--only", help="run only the layers whose name contains this text")
    args = parser.parse_args()
    layers = {name: layer for name, layer in LAYERS.items()
              if not args.only or args.only in name}
    for theorem in ("transpose", "adjoint"):
        sc.prove(theorem, input_shape=(8, 8), kernel_shape=(3, 3), in_channels=2,
                 out_channels=2)  # one-time costs: the proof for all sizes, imports
        for name, layer in layers.items():
            took, verdict, evidence, rss = measure(theorem, layer)
            target = TARGETS.get(name)
            passed = verdict == "proved" and (target is None or took < target) and (
                rss < RSS_TARGETS.get(name, rss + 1))
            ok &= passed
            mark = "" if target is None else ("PASS" if passed else "FAIL")
            print(f"{mark:4}  {theorem} {name}: {took:.2f} s CPU, {verdict} "
                  f"({', '.join(evidence)}), max RSS so far {rss / 2**20:.0f} MiB"
                  + (f" (target < {target:g} s)" if target else "")
                  + (f" (target < {RSS_TARGETS[name] / 2**20:.0f} MiB)" if name in RSS_TARGETS
                     else ""), flush=True)
            rows.append(f"| `prove('{theorem}')` {name} | {took:.2f} s CPU, max RSS "
                        f"{rss / 2**20:.0f} MiB ({verdict}; {', '.join(evidence)}) | "
                        f"{f'< {target:g} s' if target else ''} | {mark} |")
    if args.markdown:
        print("\n".join(rows))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
