"""Mutation testing: plausible one-line bugs, each caught by a named test or a proof.

Each case copies the ``symconv`` package (and ``tests/``, ``pyproject.toml``)
into a temporary directory, applies one edit -- ``old`` must occur exactly
once in the file, so a refactor that moves the line makes this test fail
loudly instead of silently testing nothing -- and runs the mutant's catcher in
a fresh process whose ``PYTHONPATH`` and working directory are the copy (a child
forked from ``tests/mutant_server.py``, which has only third-party libraries imported;
the child imports the copy's ``symconv`` and checks it did): a pytest
node id (which must then report a failed test, exit 1) or ``symconv prove
NAME`` (which must then report "refuted", exit 1; a crash, exit 3, would
fail ``prove --all`` too, but does not count as caught here). The control case runs every catcher on
the unmutated copy and requires all of them to pass. Hypothesis catchers run
with ``--hypothesis-seed=0``, so a mutant is caught (or not) deterministically,
and no catcher needs PyTorch (a skipped test would let its mutant survive).

The mutants, the file each edits, and what catches it (``test_x::name`` is the test
``tests/test_x.py::name``, ``prove X`` is ``python -m symconv prove X``; files under
``symconv/``):

map-keys-only (sparse.py)
    test_sparse::test_same_keys_with_different_coefficients_differ
map-prefix-only (sparse.py)
    test_sparse::test_a_map_and_its_prefix_differ_both_ways
map-zeros-kept (sparse.py)
    test_sparse::test_cancelling_duplicates_leave_an_empty_map
map-denominators (sparse.py)
    test_sparse::test_equal_values_over_different_denominators_are_equal
unit-maps-lengths-only (sparse.py)
    test_performance::test_one_changed_tap_turns_the_one_channel_index_form_proof_red
block-one-factor (sparse.py)
    test_sparse::test_block_difference_is_the_difference_of_the_expanded_maps
max-pool-no-dilation (operators/pooling.py)
    test_pooling::test_dilated_max_pool_skips_the_samples_between_taps
avg-divisor-n+2p (operators/pooling.py)
    test_pooling::test_ceil_mode_window_overhanging_the_padding_divides_by_its_clipped_size
avg-real-count (operators/pooling.py)
    test_pooling::test_avg_pool_divisors_match_the_oracle_with_ceil_mode_overhang
window-plus-p (operators/index_form.py)
    test_operator_grid::test_correlation_and_convolution_match_the_oracle_on_a_grid
flip-missing (operators/index_form.py)
    prove flip
group-of-output (operators/convolutions.py)
    test_operator_grid::test_correlation_and_convolution_match_the_oracle_on_a_grid
transposed-layout (operators/convolutions.py)
    test_operator_grid::test_transposed_convolution_matches_the_oracle_on_a_grid
circular-plus-m (operators/convolutions.py)
    prove convolution-theorem
decimation-floor (operators/signals.py)
    test_operator_grid::test_constant_operators_match_the_oracle_on_a_grid
zero-insertion-size (operators/signals.py)
    test_operator_grid::test_constant_operators_match_the_oracle_on_a_grid
shift-direction (operators/signals.py)
    test_operator_grid::test_constant_operators_match_the_oracle_on_a_grid
same-odd-pixel-before (geometry/formulas.py)
    test_numeric::test_oracle_pads_and_sizes_agree_with_geometry_on_a_grid
same-floor-outputs (geometry/formulas.py)
    test_geometry::test_same_padding_gives_ceil_n_over_s_with_odd_pixel_after
conv-size-no-minus-one (geometry/formulas.py)
    prove output-size
transposed-size-one-p (geometry/formulas.py)
    prove transposed-output-size
output-padding-max (geometry/transposed.py)
    test_geometry::test_bad_transposed_geometry_is_named
ceil-drop-strict (geometry/formulas.py)
    test_numeric::test_oracle_transposed_and_pool_sizes_agree_with_geometry_on_a_grid
full-pads-no-dilation (geometry/arguments.py)
    test_numeric::test_oracle_pads_and_sizes_agree_with_geometry_on_a_grid
scatter-plus-p (theorems/index_proofs/forms.py)
    test_index_sets::test_index_sets_are_the_operators_entries_at_every_small_size
oracle-no-dilation (numeric/convolution.py)
    test_operator_grid::test_correlation_and_convolution_match_the_oracle_on_a_grid
oracle-offsets-no-dilation (numeric/convolution.py)
    test_numeric::test_gathered_oracle_equals_its_loop_over_offsets
oracle-scatter-plus-p (numeric/convolution.py)
    test_operator_grid::test_transposed_convolution_matches_the_oracle_on_a_grid
oracle-avg-n+2p (numeric/pooling.py)
    test_pooling::test_ceil_mode_window_overhanging_the_padding_divides_by_its_clipped_size
oracle-same-one-more (numeric/sizes.py)
    test_numeric::test_oracle_pads_and_sizes_agree_with_geometry_on_a_grid
oracle-max-no-dilation (numeric/pooling.py)
    test_pooling::test_dilated_max_pool_skips_the_samples_between_taps

Issue 18's six:
map-keys-only (a), map-prefix-only (b), max-pool-no-dilation (c),
avg-divisor-n+2p (d), scatter-plus-p (e), output-padding-max (f).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 300


@dataclass(frozen=True)
class Mutant:
    """One plausible bug: replace ``old`` (exactly once in ``file``) by ``new``."""

    id: str
    file: str
    old: str
    new: str
    catcher: str  # "tests/test_x.py::name" or "prove NAME"


def _ops(id, module, old, new, catcher):
    return Mutant(id, f"symconv/operators/{module}.py", old, new, catcher)


def _geo(id, module, old, new, catcher):
    return Mutant(id, f"symconv/geometry/{module}.py", old, new, catcher)


def _sparse(id, old, new, catcher):
    return Mutant(id, "symconv/sparse.py", old, new, catcher)


def _oracle(id, module, old, new, catcher):
    return Mutant(id, f"symconv/numeric/{module}.py", old, new, catcher)


SPARSE = "tests/test_sparse.py::"
POOLING = "tests/test_pooling.py::"
NUMERIC = "tests/test_numeric.py::"
GRID = "tests/test_operator_grid.py::"
CORRELATION_ORACLE = GRID + "test_correlation_and_convolution_match_the_oracle_on_a_grid"
TRANSPOSED_ORACLE = GRID + "test_transposed_convolution_matches_the_oracle_on_a_grid"
CONSTANT_ORACLE = GRID + "test_constant_operators_match_the_oracle_on_a_grid"
PAD_GRID = NUMERIC + "test_oracle_pads_and_sizes_agree_with_geometry_on_a_grid"
DILATED_MAX = POOLING + "test_dilated_max_pool_skips_the_samples_between_taps"
OVERHANG = POOLING + "test_ceil_mode_window_overhanging_the_padding_divides_by_its_clipped_size"

MUTANTS = [
    _sparse("map-keys-only", "    same = same_key & (na[:common] == nb[:common])\n",
            "    same = same_key\n",
            SPARSE + "test_same_keys_with_different_coefficients_differ"),
    _sparse("map-prefix-only", "    if len(a) == len(b) and bool(np.all(same)):\n",
            "    if bool(np.all(same)):\n", SPARSE + "test_a_map_and_its_prefix_differ_both_ways"),
    _sparse("map-zeros-kept", "    keep = summed != 0\n",
            "    keep = np.ones(len(summed), dtype=bool)\n",
            SPARSE + "test_cancelling_duplicates_leave_an_empty_map"),
    _sparse("map-denominators",
            "    na, nb = _scaled(a, b.denominator), _scaled(b, a.denominator)\n    common",
            "    na, nb = a.numerators, b.numerators\n    common",
            SPARSE + "test_equal_values_over_different_denominators_are_equal"),
    _sparse("unit-maps-lengths-only", "for k in keys) or not np.array_equal(*keys):",
            "for k in keys) or len(keys[0]) != len(keys[1]):",
            "tests/test_performance.py::"
            "test_one_changed_tap_turns_the_one_channel_index_form_proof_red"),
    _sparse("block-one-factor", "differs = np.flatnonzero(x * pa != y * pb)",
            "differs = np.flatnonzero(x * pa != y * pa)",
            SPARSE + "test_block_difference_is_the_difference_of_the_expanded_maps"),
    _ops("max-pool-no-dilation", "pooling", "(s * i - p + d * m for m in range(k))",
         "(s * i - p + m for m in range(k))", DILATED_MAX),
    _ops("avg-divisor-n+2p", "pooling", "padded = (taps < n + pa).sum(axis=1)",
         "padded = (taps < n + pb + pa).sum(axis=1)", OVERHANG),
    _ops("avg-real-count", "pooling", "real = np.bincount(triples[:, 0], minlength=out)",
         "real = (taps < n).sum(axis=1)",
         POOLING + "test_avg_pool_divisors_match_the_oracle_with_ceil_mode_overhang"),
    _ops("window-plus-p", "index_form",
         "    j = s * i - p + d * m\n", "    j = s * i + p + d * m\n",
         CORRELATION_ORACLE),
    _ops("flip-missing", "index_form", "np.stack([t[:, 0], k - 1 - t[:, 1], t[:, 2]], axis=1)",
         "np.stack([t[:, 0], t[:, 1], t[:, 2]], axis=1)", "prove flip"),
    _ops("group-of-output", "convolutions", "    c = (o // cout_g) * cin_g + i\n",
         "    c = (o // cin_g) * cin_g + i\n", CORRELATION_ORACLE),
    _ops("transposed-layout", "convolutions",
         "tap_block = (c * cout_g + o % cout_g) if transposed else (o * cin_g + i)",
         "tap_block = (o * cin_g + i) if transposed else (o * cin_g + i)", TRANSPOSED_ORACLE),
    _ops("circular-plus-m", "convolutions", "((i - m) % na).ravel()", "((i + m) % na).ravel()",
         "prove convolution-theorem"),
    _ops("decimation-floor", "signals", "    out = tuple(-(-na // fa) for na, fa in zip(n, f))\n",
         "    out = tuple(na // fa for na, fa in zip(n, f))\n", CONSTANT_ORACLE),
    _ops("zero-insertion-size", "signals",
         "    out = tuple((na - 1) * fa + 1 for na, fa in zip(n, f))\n",
         "    out = tuple(na * fa for na, fa in zip(n, f))\n", CONSTANT_ORACLE),
    _ops("shift-direction", "signals", "        j = i - ta\n", "        j = i + ta\n",
         CONSTANT_ORACLE),
    _geo("same-odd-pixel-before", "formulas",
         "    return (large, small) if lower else (small, large)\n",
         "    return (small, large) if lower else (large, small)\n", PAD_GRID),
    _geo("same-floor-outputs", "formulas",
         "    out = -(-n // s)\n    total", "    out = n // s\n    total",
         "tests/test_geometry.py::test_same_padding_gives_ceil_n_over_s_with_odd_pixel_after"),
    _geo("conv-size-no-minus-one", "formulas",
         "    return (n + pad_before + pad_after - d * (k - 1) - 1) // s + 1\n",
         "    return (n + pad_before + pad_after - d * (k - 1)) // s + 1\n", "prove output-size"),
    _geo("transposed-size-one-p", "formulas",
         "    return (n - 1) * s - 2 * p + d * (k - 1) + output_padding + 1\n",
         "    return (n - 1) * s - p + d * (k - 1) + output_padding + 1\n",
         "prove transposed-output-size"),
    _geo("output-padding-max", "transposed",
         "require(op[axis] < bound,", "require(op[axis] <= bound,",
         "tests/test_geometry.py::test_bad_transposed_geometry_is_named"),
    _geo("ceil-drop-strict", "formulas", "    if ceil_mode and (out - 1) * s >= n + pad_before:\n",
         "    if ceil_mode and (out - 1) * s > n + pad_before:\n",
         NUMERIC + "test_oracle_transposed_and_pool_sizes_agree_with_geometry_on_a_grid"),
    _geo("full-pads-no-dilation", "arguments",
         "return tuple((d * (k - 1), d * (k - 1)) for _, k, _, d in axes)",
         "return tuple((k - 1, k - 1) for _, k, _, d in axes)", PAD_GRID),
    Mutant("scatter-plus-p", "symconv/theorems/index_proofs/forms.py",
           'IndexSet("T (scatter)", (TAP,), ((ROW, s * COLUMN - p + d * TAP),),',
           'IndexSet("T (scatter)", (TAP,), ((ROW, s * COLUMN + p + d * TAP),),',
           "tests/test_index_sets.py::test_index_sets_are_the_operators_entries_at_every_small_size"),
    _oracle("oracle-no-dilation", "convolution",
            "index.append((d * np.arange(k)[:, None] + s * np.arange(n)[None, :])",
            "index.append((np.arange(k)[:, None] + s * np.arange(n)[None, :])",
            CORRELATION_ORACLE),
    _oracle("oracle-offsets-no-dilation", "convolution",
            "window = tuple(slice(d * a, d * a + s * (o - 1) + 1, s) for a, o, s, d\n",
            "window = tuple(slice(a, a + s * (o - 1) + 1, s) for a, o, s, d\n",
            NUMERIC + "test_gathered_oracle_equals_its_loop_over_offsets"),
    _oracle("oracle-scatter-plus-p", "convolution",
            "crop = tuple(slice(p, p + o) for p, o in zip(",
            "crop = tuple(slice(0, o) for p, o in zip(", TRANSPOSED_ORACLE),
    _oracle("oracle-avg-n+2p", "pooling", "ends = [min(b + k, n + p) for b, (n, k, _, p)",
            "ends = [min(b + k, n + 2 * p) for b, (n, k, _, p)", OVERHANG),
    _oracle("oracle-same-one-more", "sizes",
            "    while _window_count(n + total, span, stride) < wanted:\n",
            "    while _window_count(n + total, span, stride) <= wanted:\n", PAD_GRID),
    _oracle("oracle-max-no-dilation", "pooling",
            "position = tuple(b + d * t for b, t, (_, _, _, d) in zip(starts, m, axes))",
            "position = tuple(b + t for b, t, (_, _, _, d) in zip(starts, m, axes))",
            DILATED_MAX),
]

REQUIRED = {"map-keys-only", "map-prefix-only", "max-pool-no-dilation", "avg-divisor-n+2p",
            "scatter-plus-p", "output-padding-max"}


def _occurrences(mutant: Mutant, root: Path = ROOT) -> int:
    return (root / mutant.file).read_text().count(mutant.old)


def _copy_project(target: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", ".hypothesis", "*.pyc")
    for folder in ("symconv", "tests"):
        shutil.copytree(ROOT / folder, target / folder, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def _apply(mutant: Mutant, root: Path) -> None:
    count = _occurrences(mutant, root)
    assert count == 1, (
        f"mutant {mutant.id}: {mutant.old!r} occurs {count} times in {mutant.file}, expected "
        "exactly once; the code moved, so update this mutant's `old` (and `new`)")
    path = root / mutant.file
    path.write_text(path.read_text().replace(mutant.old, mutant.new))


class Catchers:
    """Runs catchers, each in a fresh process: a child forked from ``tests/mutant_server.py``
    (one warm interpreter with SymPy, NumPy, SciPy, Hypothesis and pytest imported, and no
    ``symconv``: the child imports the copy's), which saves each catcher that import."""

    def __init__(self) -> None:
        env = {key: value for key, value in os.environ.items()
               if key not in ("CI", "PYTHONPATH")}
        self.server = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve().parent / "mutant_server.py"),
             str(TIMEOUT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)

    def run(self, root: Path, kind: str, args: list[str]) -> subprocess.CompletedProcess:
        """The catcher's exit code and output, as ``subprocess.run`` would give them."""
        self.server.stdin.write(json.dumps({"root": str(root), "kind": kind,
                                            "args": args}) + "\n")
        self.server.stdin.flush()
        answer = self.server.stdout.readline()
        assert answer, f"the mutant server died (exit {self.server.wait()})"
        done = json.loads(answer)
        return subprocess.CompletedProcess(args, done["code"], done["stdout"], done["stderr"])

    def close(self) -> None:
        self.server.stdin.close()
        self.server.wait(timeout=60)


@pytest.fixture(scope="module")
def catchers():
    runner = Catchers()
    yield runner
    runner.close()


def _pytest(catchers: Catchers, root: Path, *node_ids: str) -> subprocess.CompletedProcess:
    return catchers.run(root, "pytest", ["-q", "-x", "-p", "no:cacheprovider", "-o", "addopts=",
                                         "--hypothesis-seed=0", *node_ids])


def _prove(catchers: Catchers, root: Path, *names: str) -> subprocess.CompletedProcess:
    """``symconv prove NAME`` for each name in one interpreter; exits with the largest code,
    after checking the package imported is the copy under ``root``."""
    script = (
        "import sys, symconv\n"
        "from pathlib import Path\n"
        f"assert Path(symconv.__file__).resolve().is_relative_to(Path({str(root)!r}).resolve()),"
        " symconv.__file__\n"
        "from symconv.cli import main\n"
        f"sys.exit(max(main(['prove', name]) for name in {list(names)!r}))\n")
    return catchers.run(root, "script", [script])


def _run(catchers: Catchers, catcher: str, root: Path) -> subprocess.CompletedProcess:
    if catcher.startswith("prove "):
        return _prove(catchers, root, catcher.removeprefix("prove "))
    return _pytest(catchers, root, catcher)


def test_the_table_is_complete_and_matches_the_source():
    ids = [m.id for m in MUTANTS]
    assert len(ids) >= 20 and len(set(ids)) == len(ids)
    assert REQUIRED <= set(ids)
    for mutant in MUTANTS:
        assert mutant.old != mutant.new, mutant.id
        assert _occurrences(mutant) == 1, (
            f"mutant {mutant.id}: {mutant.old!r} must occur exactly once in {mutant.file}")
        catcher = mutant.catcher.removeprefix("tests/").replace(".py::", "::")
        row = f"{mutant.id} ({Path(mutant.file).relative_to('symconv')})\n    {catcher}\n"
        assert row in __doc__, f"the module docstring's table lacks the entry {row!r}"


def test_the_unmutated_copy_passes_every_catcher(catchers, tmp_path):
    root = _copy_project(tmp_path)
    node_ids = sorted({m.catcher for m in MUTANTS if not m.catcher.startswith("prove ")})
    names = sorted({m.catcher.removeprefix("prove ") for m in MUTANTS
                    if m.catcher.startswith("prove ")})
    tests = _pytest(catchers, root, *node_ids)
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-3000:]
    assert "skipped" not in tests.stdout, "a skipped catcher cannot catch: " + tests.stdout
    proofs = _prove(catchers, root, *names)
    assert proofs.returncode == 0, proofs.stdout[-3000:] + proofs.stderr[-3000:]


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.id for m in MUTANTS])
def test_mutant_is_caught(catchers, mutant, tmp_path):
    root = _copy_project(tmp_path)
    _apply(mutant, root)
    result = _run(catchers, mutant.catcher, root)
    output = result.stdout[-2000:] + result.stderr[-2000:]
    assert result.returncode == 1, f"{mutant.id} survived {mutant.catcher}:\n{output}"
