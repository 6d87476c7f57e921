"""The approaches a user would pick instead of symconv, for the transpose theorem T = Cᵀ.

Each peer builds C (correlation, ``C[i, j] = k[m]`` where ``j = s*i - p + m`` per axis) and
T (the scatter rule: input ``j`` with offset ``m`` adds ``k[m]`` at output ``s*j - p + m``)
from the index formulas with its own loops, and decides ``T - Cᵀ = 0``. None shares code
with symconv, on purpose.

==============  ======================================================================
``sparse``      ``sympy.SparseMatrix`` C and T, every entry of ``T - C.T`` expanded
``domain``      ``DomainMatrix`` over ``ZZ[k...]`` (SymPy's polynomial matrices), ``T - C.T``
                tested with ``is_zero_matrix``
``dense``       the straightforward proof of ``baseline.py``: dense ``sympy.Matrix``,
                ``C.T * y`` against the scatter rule applied to symbolic ``y``
``scipy``       the numeric floor: ``scipy.sparse`` C and T with random weights,
                ``T y == C.T y`` for a random ``y`` (a test, not a proof)
``torch``       the numeric floor of a framework: ``conv2d`` and ``conv_transpose2d``,
                ``<conv2d(x), y> == <x, conv_transpose2d(y)>`` (a test, not a proof)
``symconv``     ``symconv.prove("transpose")``
``floor``       no proof: a process that only imports what ``symconv prove`` needs from
                outside (NumPy, SymPy, z3, Lark) and builds one SymPy sum (SymPy's first
                ``Add`` imports ``sympy.tensor``), the cost no SymPy-judged proof avoids
==============  ======================================================================

Usage::

    python benchmarks/peers.py --markdown          # the table of README.md's Performance
    python benchmarks/peers.py sparse 96           # one peer once, in this process

Figures are CPU seconds (``time.process_time`` warm, in this process after one warm-up;
``os.wait4``'s user + system for a whole process, its imports included; max RSS by
GNU time):
on a machine shared with other work CPU time is distorted far less than wall time.

Examples
--------
>>> all(PEERS[name](6) for name in ("sparse", "domain", "dense", "scipy"))
True
"""

from __future__ import annotations

import argparse
import itertools
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
K, STRIDE, PAD = 3, 2, 1


def _out(n: int) -> int:
    return (n + 2 * PAD - K) // STRIDE + 1


def _pattern(n: int) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    """Entries ``(row, col, tap)`` of C (by the window rule) and T (by the scatter rule)."""
    out = _out(n)
    c, t = [], []
    for i1, i2, m1, m2 in itertools.product(range(out), range(out), range(K), range(K)):
        j1, j2 = STRIDE * i1 - PAD + m1, STRIDE * i2 - PAD + m2
        if 0 <= j1 < n and 0 <= j2 < n:
            c.append((i1 * out + i2, j1 * n + j2, m1 * K + m2))
    for j1, j2, m1, m2 in itertools.product(range(out), range(out), range(K), range(K)):
        t1, t2 = STRIDE * j1 - PAD + m1, STRIDE * j2 - PAD + m2
        if 0 <= t1 < n and 0 <= t2 < n:
            t.append((t1 * n + t2, j1 * out + j2, m1 * K + m2))
    return c, t


def _sympy_pair(n: int):
    import sympy

    kernel = sympy.symbols(f"k0:{K * K}")
    c_entries, t_entries = _pattern(n)
    out = _out(n)

    def matrix(rows, cols, entries):
        values: dict = {}
        for r, col, tap in entries:
            values[(r, col)] = values.get((r, col), 0) + kernel[tap]
        return sympy.SparseMatrix(rows, cols, values)

    return matrix(out * out, n * n, c_entries), matrix(n * n, out * out, t_entries)


def sparse_peer(n: int) -> bool:
    """``sympy.SparseMatrix`` C and T; every stored entry of ``T - C.T`` expanded."""
    import sympy

    c, t = _sympy_pair(n)
    difference = t - c.T
    return all(sympy.expand(v) == 0 for v in difference.values())


def domain_peer(n: int) -> bool:
    """``DomainMatrix`` over the polynomial ring ``ZZ[k...]``: ``T - C.T`` is zero."""
    from sympy.polys.matrices import DomainMatrix

    c, t = _sympy_pair(n)
    dc, dt = DomainMatrix.from_Matrix(c), DomainMatrix.from_Matrix(t)
    dc, dt = dc.unify(dt)
    return (dt - dc.transpose()).is_zero_matrix


def dense_peer(n: int) -> bool:
    """The straightforward dense proof of ``baseline.py``."""
    sys.path.insert(0, str(HERE))
    from baseline import straightforward_transpose

    return straightforward_transpose(n, K, STRIDE, PAD)


def scipy_peer(n: int) -> bool:
    """Numeric: ``scipy.sparse`` C and T with random weights, ``T y`` against ``C.T y``."""
    import numpy as np
    from scipy import sparse

    c_entries, t_entries = _pattern(n)
    rng = np.random.default_rng(0)
    w = rng.standard_normal(K * K)
    y = rng.standard_normal(_out(n) ** 2)
    c, t = np.array(c_entries).T, np.array(t_entries).T
    cm = sparse.csr_matrix((w[c[2]], (c[0], c[1])), shape=(_out(n) ** 2, n * n))
    tm = sparse.csr_matrix((w[t[2]], (t[0], t[1])), shape=(n * n, _out(n) ** 2))
    return bool(np.allclose(tm @ y, cm.T @ y))


def torch_peer(n: int) -> bool:
    """Numeric, PyTorch: ``<conv2d(x), y> == <x, conv_transpose2d(y)>`` in float64."""
    import torch

    gen = torch.Generator().manual_seed(0)
    w = torch.randn(1, 1, K, K, generator=gen, dtype=torch.float64)
    x = torch.randn(1, 1, n, n, generator=gen, dtype=torch.float64)
    y = torch.randn(1, 1, _out(n), _out(n), generator=gen, dtype=torch.float64)
    extra = n - ((_out(n) - 1) * STRIDE - 2 * PAD + K)
    forward = torch.nn.functional.conv2d(x, w, stride=STRIDE, padding=PAD)
    back = torch.nn.functional.conv_transpose2d(y, w, stride=STRIDE, padding=PAD,
                                                output_padding=extra)
    return bool(torch.isclose((forward * y).sum(), (x * back).sum()))


def symconv_peer(n: int) -> bool:
    """``symconv.prove("transpose")`` (its default path for the size)."""
    import symconv as sc

    proof = sc.prove("transpose", input_shape=(n, n), kernel_shape=(K, K), stride=STRIDE,
                     padding=PAD)
    return proof.verdict == "proved"


#: What a whole ``symconv prove`` process imports from outside symconv.
FLOOR = "import numpy, sympy, z3, lark; sympy.Symbol('x') + 1"


def floor_peer(n: int) -> bool:
    """The import floor (``n`` unused): the imports of :data:`FLOOR`, no proof."""
    exec(FLOOR, {})  # noqa: S102 - a fixed string of this module
    return True


#: Peers timed once per size (seconds to minutes each), the others ``--repeats`` times.
SLOW = ("dense", "domain")
PEERS: dict[str, Callable[[int], bool]] = {
    "sparse": sparse_peer, "domain": domain_peer, "dense": dense_peer, "scipy": scipy_peer,
    "torch": torch_peer, "symconv": symconv_peer, "floor": floor_peer,
}


def warm(name: str, n: int, repeats: int = 3) -> float:
    """Median CPU seconds of one peer at ``n x n`` in this process, after a warm-up."""
    PEERS[name](min(n, 8))
    times = []
    for _ in range(repeats):
        start = time.process_time()
        assert PEERS[name](n), f"{name} at {n}x{n} did not confirm T = C^T"
        times.append(time.process_time() - start)
    return sorted(times)[len(times) // 2]


def whole_process(command: list[str], timeout: float = 900.0) -> tuple[float, int]:
    """CPU seconds (user + system) and max RSS in bytes of ``command`` as a fresh process.

    The CPU is ``os.wait4``'s for that child; the RSS is GNU time's ``%M`` when
    ``/usr/bin/time`` exists (Linux counts a child's memory before ``exec``, a copy of this
    process, in its own max RSS), else 0.
    """
    gnu_time = Path("/usr/bin/time")
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        wrapped = [str(gnu_time), "-f", "%M", "-o", rss.name, *command] \
            if gnu_time.exists() else command
        child = subprocess.Popen(wrapped, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 cwd=ROOT)
        timer = threading.Timer(timeout, child.kill)
        timer.start()
        try:
            out = child.stdout.read()
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
        assert child.returncode in (0, 4), out[-1000:].decode(errors="replace")
        kib = rss.read().strip().splitlines()[-1:] if gnu_time.exists() else []
    return usage.ru_utime + usage.ru_stime, int(kib[0]) * 1024 if kib else 0


def peer_process(name: str, n: int) -> list[str]:
    """The command that runs one peer once as a whole process."""
    if name == "floor":
        return [sys.executable, "-c", FLOOR]
    if name == "symconv":
        return [sys.executable, "-m", "symconv", "prove", "transpose", "--input", f"{n},{n}",
                "--kernel", f"{K},{K}", "--stride", str(STRIDE), "--padding", str(PAD)]
    return [sys.executable, str(Path(__file__)), name, str(n)]


def table(sizes: tuple[int, ...], dense_sizes: tuple[int, ...], repeats: int) -> list[str]:
    """Markdown rows: per size, each peer warm and as a whole process, with symconv's ratios."""
    rows = ["| size | approach | warm CPU s | whole process CPU s (max RSS) | "
            "peer / symconv, warm | peer / symconv, whole process |", "|---|---|---|---|---|---|"]
    for n in sizes:
        names = ["symconv", "floor", "sparse", "domain", "scipy", "torch"]
        names += ["dense"] if n in dense_sizes else []
        results = {}
        for name in names:
            w = warm(name, n, 1 if name in SLOW else repeats)
            cpu, rss = whole_process(peer_process(name, n))
            results[name] = (w, cpu, rss)
            print(f"  {n}x{n} {name}: warm {w:.4f} s, whole process {cpu:.2f} s "
                  f"({rss / 2**20:.0f} MiB)", flush=True)
        base_warm, base_cpu, _ = results["symconv"]
        for name in names:
            w, cpu, rss = results[name]
            rows.append(f"| {n}x{n} | {name} | {w:.4f} | {cpu:.2f} ({rss / 2**20:.0f} MiB) | "
                        f"{w / base_warm:.1f}x | {cpu / base_cpu:.2f}x |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("peer", nargs="?", choices=sorted(PEERS), help="run one peer once")
    parser.add_argument("n", nargs="?", type=int, default=32, help="input size per axis")
    parser.add_argument("--markdown", action="store_true", help="the README table")
    parser.add_argument("--sizes", default="32,96,224", help="sizes of the table")
    parser.add_argument("--dense", default="32,96,224", help="sizes the dense peer runs at")
    parser.add_argument("--repeats", type=int, default=3, help="warm repeats (median)")
    args = parser.parse_args()
    if args.peer:
        start = time.process_time()
        holds = PEERS[args.peer](args.n)
        print(f"{args.peer} {args.n}x{args.n}: holds={holds} "
              f"cpu={time.process_time() - start:.3f}")
        return 0 if holds else 1
    sizes = tuple(int(v) for v in args.sizes.split(","))
    dense = tuple(int(v) for v in args.dense.split(",") if v)
    print("\n".join(table(sizes, dense, args.repeats)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
