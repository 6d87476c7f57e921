"""Open claims (``sc.check``): a 1-D claim over 1,000 points, a 2-D claim at 32x32, and the
claim checker beside the hand-written catalogue check of the same theorem.

Usage::

    python benchmarks/claims.py

Figures: wall-clock seconds (median of 3) of ``sc.check`` on
``corr(x, k, stride=s) == subsample(corr(x, k), s)`` over ``1 <= n <= 50, 1 <= K <= 4,
1 <= s <= 5`` (1,000 points, target < 5 s); on ``conv(x, k) == corr(x, flip(k))`` at
32x32 with a 3x3 kernel (target < 1 s); and the ratio claim / catalogue for the same
statement at the same sizes (``sc.prove("flip", ...)``, ``sc.prove("stride-as-subsampling",
...)``; target: the claim path at most 2x slower). The catalogue's proofs gather more
evidence (numeric cross-checks, proofs for all sizes), so the ratio compares the time a
user waits for each answer, not equal work.
"""

from __future__ import annotations

import sys
from pathlib import Path

import symconv as sc

sys.path.insert(0, str(Path(__file__).parent))
from run import seconds  # noqa: E402 - the benchmarks' one timing helper

ONE_D = ("corr(x, k, stride=s) == subsample(corr(x, k), s)", {"x": "n", "k": "K"},
         "1 <= n <= 50, 1 <= K <= 4, 1 <= s <= 5")
TWO_D = ("conv(x, k) == corr(x, flip(k))", {"x": (32, 32), "k": (3, 3)}, None)
PAIRS = [
    ("flip 32x32, 3x3", TWO_D, ("flip", {"input_shape": (32, 32), "kernel_shape": (3, 3)})),
    ("stride-as-subsampling 16x16, 3x3, s=2",
     ("corr(x, k, stride=2) == subsample(corr(x, k), 2)", {"x": (16, 16), "k": (3, 3)}, None),
     ("stride-as-subsampling", {"input_shape": (16, 16), "kernel_shape": (3, 3),
                                "stride": 2})),
]


def main() -> int:
    ok = True
    claim, shapes, domain = ONE_D
    verdict = sc.check(claim, shapes=shapes, domain=domain).verdict
    t = seconds(lambda: sc.check(claim, shapes=shapes, domain=domain))
    ok &= verdict == "verified" and t < 5
    print(f"1-D claim over 1,000 points ({domain}): {verdict} in {t:.2f} s (target < 5 s)")
    claim, shapes, domain = TWO_D
    verdict = sc.check(claim, shapes=shapes).verdict
    t = seconds(lambda: sc.check(claim, shapes=shapes))
    ok &= verdict == "proved" and t < 1
    print(f"2-D claim at 32x32, 3x3 ({claim}): {verdict} in {t:.3f} s (target < 1 s)")
    for title, (claim, shapes, _), (name, parameters) in PAIRS:
        mine = seconds(lambda c=claim, s=shapes: sc.check(c, shapes=s))
        theirs = seconds(lambda n=name, p=parameters: sc.prove(n, **p))
        ok &= mine <= 2 * theirs
        print(f"{title}: claim {mine:.3f} s, catalogue {theirs:.3f} s, ratio "
              f"{mine / theirs:.2f} (target <= 2)")
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
