"""The straightforward SymPy proof of the transpose theorem: the baseline of ``run.py``.

A dense ``sympy.Matrix`` C is built entry by entry from the index formula
``C[i, j] = k[m]`` where ``j = s*i - p + m`` (per axis), then ``C.T * y`` is
compared with the scatter rule applied to a symbolic ``y`` (input position ``j``
with offset ``m`` adds ``k[m] y[j]`` to output ``s*j - p + m``), each entry's
difference expanded. It shares no code with symconv, on purpose.

Run ``python benchmarks/baseline.py 32`` to time it at 32x32.

Examples
--------
>>> straightforward_transpose(4)
True
"""

from __future__ import annotations

import itertools
import sys
import time

import sympy


def straightforward_transpose(n: int, k: int = 3, stride: int = 2, padding: int = 1) -> bool:
    """Whether the scatter rule equals ``C.T * y`` for an ``n x n`` input, symbolically.

    Parameters
    ----------
    n : int
        Input size per axis (2-D).
    k, stride, padding : int
        Square kernel, stride and symmetric padding (dilation 1).
    """
    out = (n + 2 * padding - k) // stride + 1
    kernel = [[sympy.Symbol(f"k_{a}_{b}") for b in range(k)] for a in range(k)]
    c = sympy.zeros(out * out, n * n)
    for i1, i2, m1, m2 in itertools.product(range(out), range(out), range(k), range(k)):
        j1, j2 = stride * i1 - padding + m1, stride * i2 - padding + m2
        if 0 <= j1 < n and 0 <= j2 < n:
            c[i1 * out + i2, j1 * n + j2] += kernel[m1][m2]
    y = sympy.Matrix([sympy.Symbol(f"y_{i}") for i in range(out * out)])
    lhs = c.T * y
    scatter = [sympy.Integer(0)] * (n * n)
    for j1, j2, m1, m2 in itertools.product(range(out), range(out), range(k), range(k)):
        t1, t2 = stride * j1 - padding + m1, stride * j2 - padding + m2
        if 0 <= t1 < n and 0 <= t2 < n:
            scatter[t1 * n + t2] += kernel[m1][m2] * y[j1 * out + j2]
    return all(sympy.expand(lhs[e] - scatter[e]) == 0 for e in range(n * n))


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 32
    start = time.perf_counter()
    holds = straightforward_transpose(size)
    print(f"{size}x{size}: holds={holds} seconds={time.perf_counter() - start:.3f}")
