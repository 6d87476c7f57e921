"""Performance figures of symconv's proofs, each against its target, side by side in one run.

Usage::

    python benchmarks/run.py                 # every figure (about 3 minutes, with the suite)
    python benchmarks/run.py --skip-suite    # without the full test suite
    python benchmarks/run.py --slow          # also the SymPy baseline at 96x96 and 128x128
    python benchmarks/run.py --markdown      # the table as Markdown (for README.md)

Figures are ratios and wall-clock seconds on this machine, medians of a few repeats;
the baseline is ``benchmarks/baseline.py`` (dense SymPy matrix, entry by entry).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

import symconv as sc
from symconv.theorems import REGISTRY, structure
from symconv.theorems.structure import matching_transposed

sys.path.insert(0, str(Path(__file__).parent))
from baseline import straightforward_transpose  # noqa: E402
from peers import peer_process, whole_process  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LAYER = {"kernel_shape": (3, 3), "stride": 2, "padding": 1}
RESNET = {"input_shape": (224, 224), "kernel_shape": (7, 7), "stride": 2, "padding": 3,
          "in_channels": 3, "out_channels": 64}
ROWS: list[tuple[str, str, str, bool]] = []


def seconds(work: Callable[[], object], repeats: int = 3) -> float:
    """Median wall-clock seconds of ``work()``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def record(figure: str, measured: str, target: str, passed: bool) -> None:
    ROWS.append((figure, measured, target, passed))
    print(f"{'PASS' if passed else 'FAIL'}  {figure}: {measured}  (target: {target})",
          flush=True)


def fast_transpose(n: int) -> float:
    """Median seconds of ``prove("transpose")`` at n x n on the index-form path (forced even
    where the layer is small enough for the SymPy path)."""
    structure.SYMPY_ENTRIES = 0

    def proof():
        p = sc.prove("transpose", input_shape=(n, n), **LAYER)
        assert p.verdict == "proved" and "symbolic" in p.evidence
    return seconds(proof, 5)


def baseline_in_subprocess(n: int, timeout: float) -> float | None:
    """Seconds of the baseline at ``n x n`` in a fresh process, None past ``timeout``."""
    start = time.perf_counter()
    try:
        run = subprocess.run([sys.executable, str(Path(__file__).parent / "baseline.py"),
                              str(n)], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    assert "holds=True" in run.stdout, run.stdout + run.stderr
    return time.perf_counter() - start


def figure_1_ratio(slow: bool, timeout: float) -> list[tuple[int, float]]:
    measured = []
    for n in (16, 32, 48, 64):
        base = seconds(lambda n=n: straightforward_transpose(n), 1)
        measured.append((n, base))
        ratio = base / fast_transpose(n)
        print(f"      baseline {n}x{n}: {base:.2f} s, fast proof {base / ratio * 1e3:.1f} ms, "
              f"ratio {ratio:.0f}x", flush=True)
    sizes = (96, 128) if slow else (96,)
    for n in sizes:
        base = baseline_in_subprocess(n, timeout)
        fast = fast_transpose(n)
        if base is None:
            record(f"1. transpose {n}x{n} vs straightforward SymPy", f"baseline > {timeout:.0f} s "
                   f"(timed out), fast {fast * 1e3:.1f} ms, ratio > {timeout / fast:.0f}x",
                   ">= 50x", timeout / fast >= 50)
        else:
            measured.append((n, base))
            record(f"1. transpose {n}x{n} vs straightforward SymPy", f"baseline {base:.2f} s "
                   f"(fresh process), fast {fast * 1e3:.1f} ms, ratio {base / fast:.0f}x",
                   ">= 50x", base / fast >= 50)
    return measured


def figure_2_224() -> float:
    fast = fast_transpose(224)
    tracemalloc.start()
    sc.prove("transpose", input_shape=(224, 224), **LAYER)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    code = ("import resource, symconv as sc; sc.prove('transpose', input_shape=(224, 224), "
            "kernel_shape=(3, 3), stride=2, padding=1); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    rss = int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout) * 1024
    record("2. transpose 224x224 symbolic proof time", f"{fast:.3f} s", "< 2 s", fast < 2)
    record("2. transpose 224x224 peak memory", f"{peak / 2**20:.0f} MiB traced by "
           f"tracemalloc, {rss / 2**20:.0f} MiB max RSS of the whole process (with imports)",
           "< 1 GB", rss < 2**30)
    cpu, dense_rss = whole_process(peer_process("dense", 224))
    record("2. the straightforward dense SymPy proof at 224x224 (benchmarks/baseline.py), run",
           f"{cpu:.1f} s CPU as a whole process, {dense_rss / 2**20:.0f} MiB max RSS; symconv "
           f"{fast * 1e3:.1f} ms warm (benchmarks/peers.py: every peer, warm and whole "
           "process)", "runs", True)
    return fast


def figure_3_resnet() -> None:
    for name in ("transpose", "adjoint"):
        proof = sc.prove(name, **RESNET)
        assert proof.verdict == "proved", proof.counterexample
        took = seconds(lambda name=name: sc.prove(name, **RESNET), 1)
        record(f"3. ResNet conv1 3->64 7x7 s2 p3 224x224 prove('{name}')",
               f"{took:.2f} s ({', '.join(proof.evidence)})", "< 10 s", took < 10)


def numeric_both_sides(n: int) -> None:
    """Numeric T y vs Cᵀ y at n x n with scipy.sparse: what a numeric test would do."""
    from scipy import sparse

    g = sc.Geometry((n, n), **LAYER)
    c = sc.correlation(g)
    t = sc.transposed_convolution(matching_transposed(g, (1, 1)), kernel_name="k")
    rng = np.random.default_rng(0)
    w = rng.standard_normal(c.kernel_shape).ravel()
    y = rng.standard_normal(c.shape[0])
    cm = sparse.csr_matrix((w[c.taps], (c.rows, c.cols)), shape=c.shape)
    tm = sparse.csr_matrix((w[t.taps], (t.rows, t.cols)), shape=t.shape)
    assert np.allclose(tm @ y, cm.T @ y)


def figure_4_ratio(fast: float) -> None:
    numeric = seconds(lambda: numeric_both_sides(224), 5)
    ratio = fast / numeric
    record("4. symbolic proof / numeric evaluation of both sides, 224x224",
           f"{fast * 1e3:.1f} ms / {numeric * 1e3:.1f} ms = {ratio:.1f}", "<= 10", ratio <= 10)


def figure_5_counting() -> None:
    names = sorted(n for n, t in REGISTRY.items() if t.family == "counting")
    # torch (for the framework cross-checks inside two theorems) is imported first and the
    # lemma box checks of symconv.parametric run first, both timed apart: one-time process
    # costs, not work over the domains.
    code = ("import json, time, symconv as sc\nout = {}\nstart = time.perf_counter()\n"
            "try:\n    import torch\nexcept ImportError:\n    pass\n"
            "torch_import = time.perf_counter() - start\n"
            "start = time.perf_counter()\nfrom symconv.parametric import verify_lemmas\n"
            "verify_lemmas()\nlemma_checks = time.perf_counter() - start\n"
            f"for name in {names!r}:\n"
            "    start = time.perf_counter(); p = sc.prove(name)\n"
            "    out[name] = [time.perf_counter() - start, p.verdict, p.evidence]\n"
            "print(json.dumps({'theorems': out, 'torch_import': torch_import, "
            "'lemma_checks': lemma_checks}))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "SYMCONV_PROGRESS": "0"})
    measured = json.loads(run.stdout)
    results, torch_import = measured["theorems"], measured["torch_import"]
    lemma_checks = measured["lemma_checks"]
    for name, (took, verdict, evidence) in results.items():
        print(f"      {name}: {took:.2f} s, {verdict}, {', '.join(evidence)}", flush=True)
    total = sum(v[0] for v in results.values())
    largest = max(results, key=lambda k: results[k][0])
    record("5. counting theorems over their exhaustive domains (fresh process)",
           f"{total:.2f} s for {len(results)} theorems (largest: {largest} "
           f"{results[largest][0]:.2f} s), after two one-time costs timed apart: the torch "
           f"import ({torch_import:.2f} s) and the box checks of the lemmas of the proofs "
           f"for all sizes ({lemma_checks:.2f} s)", "< 5 s", total < 5)


def figure_6_scaling() -> None:
    sizes = (32, 64, 128, 256, 512)
    nnz, times = [], []
    for n in sizes:
        op = sc.correlation(sc.Geometry((n, n), **LAYER))
        nnz.append(len(op.rows))
        times.append(fast_transpose(n))
        print(f"      {n}x{n}: nnz(C) = {nnz[-1]:,}, proof {times[-1] * 1e3:.1f} ms", flush=True)
    slope = float(np.polyfit(np.log(nnz), np.log(times), 1)[0])
    tail = float(np.polyfit(np.log(nnz[-3:]), np.log(times[-3:]), 1)[0])
    record("6. transpose proof time vs nnz(C), 32^2..512^2 (log-log slope)",
           f"{slope:.2f} over all sizes, {tail:.2f} over 128^2..512^2", "<= 1.1",
           max(slope, tail) <= 1.1)


def figure_7_all(skip_suite: bool) -> None:
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "symconv", "prove", "--all", "--json"],
                         capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    summary = json.loads(run.stdout)["summary"]
    record("7. symconv prove --all", f"{wall:.1f} s wall ({summary['proved']} proved, "
           f"{summary['refuted']} refuted)", "< 30 s", wall < 30)
    if skip_suite:
        return
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                         capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    last = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-200:]
    record("7. full test suite", f"{wall:.0f} s wall ({last.strip('= ')})", "< 300 s",
           wall < 300)


def figure_8_fail_fast() -> None:
    """Targets that were wall-clock assertions in tests: one formula check (warm), a refusal
    of runaway work, a wrong 'same' padding that the prover for all sizes gives up on."""
    import sympy

    import symconv.parametric as pm
    from symconv.errors import SizeLimitError

    sc.check_formula("floor((n + pb + pa - d*(k-1) - 1)/s) + 2", "output_size", "jax")
    check = seconds(lambda: sc.check_formula("floor((n + pb + pa - d*(k-1) + 5)/s) - 1",
                                             "output_size", "jax"))
    record("8a. one wrong formula checked (warm)", f"{check:.2f} s", "< 1 s", check < 1)

    def refuse():
        try:
            sc.correlation(sc.Geometry((300, 300), (3, 3))).numeric(np.ones((1, 1, 3, 3)))
        except SizeLimitError:
            return
        raise AssertionError("runaway work was not refused")
    refusal = seconds(refuse)
    record("8b. runaway work refused", f"{refusal:.2f} s", "< 2 s", refusal < 2)

    n, k, s, d = (pm.SYMBOLS[v] for v in "nksd")
    span = d * (k - 1)
    bad = sympy.Max((sympy.ceiling(n / s) - 1) * s + span + 1 - n - 1, 0)
    claim = pm.Windows(n + bad - span - 1, s)
    wrong = seconds(lambda: pm.prove_for_all(claim, sympy.ceiling(n / s),
                                             [n - 1, k - 1, s - 1, d - 1]), repeats=1)
    record("8c. a wrong 'same' padding is not proved", f"{wrong:.2f} s", "< 3 s", wrong < 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", action="store_true", help="baseline at 96x96 and 128x128")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds allowed to the baseline at 96x96 and above")
    parser.add_argument("--skip-suite", action="store_true", help="do not run the test suite")
    parser.add_argument("--markdown", action="store_true", help="also print a Markdown table")
    args = parser.parse_args()
    print(f"symconv benchmarks: python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n")
    figure_5_counting()  # first: its sweeps are cached per process
    figure_1_ratio(args.slow, args.timeout)
    fast = figure_2_224()
    figure_3_resnet()
    figure_4_ratio(fast)
    figure_6_scaling()
    figure_7_all(args.skip_suite)
    figure_8_fail_fast()
    if args.markdown:
        print("\n| figure | measured | target | |\n|---|---|---|---|")
        for figure, measured, target, passed in ROWS:
            print(f"| {figure} | {measured} | {target} | {'PASS' if passed else 'FAIL'} |")
    return 0 if all(row[3] for row in ROWS) else 1


if __name__ == "__main__":
    sys.exit(main())
