"""The one quantity table (symconv.sizes.quantities) and the one exact evaluator
(symconv.prover.evaluate): each quantity defined once, every field read from its entry."""

import ast
import itertools
from pathlib import Path

import numpy as np
import pytest
import sympy

from symconv.prover.evaluate import evaluate, evaluate_exact
from symconv.prover.normal_form import SYMBOLS, Iverson, Windows
from symconv.sizes.definitions import closed_form, definition_proof, specialised
from symconv.sizes.exact import evaluate_many
from symconv.sizes.parse import parse_formula, parse_tree
from symconv.sizes.quantities import QUANTITIES, lookup, symbolic_truths
from symconv.sizes.windows import count_windows

PACKAGE = Path(__file__).resolve().parents[1] / "symconv"
NAMES = {quantity for quantity, _ in QUANTITIES}


def _keys_by_quantity(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    """Dict keys and subscript stores in one file that name a quantity: a ``(quantity,
    convention)`` tuple anywhere, or two or more quantity names in one dict (a table).
    One quantity-named key alone is a column of values (``{**c, "macs": macs}``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict):
            keys = [key for key in node.keys if key is not None]
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
            keys = [node.slice]
        else:
            continue
        tuples = [key for key in keys if isinstance(key, ast.Tuple) and key.elts
                  and isinstance(key.elts[0], ast.Constant) and key.elts[0].value in NAMES]
        named = {key.value for key in keys if isinstance(key, ast.Constant)} & NAMES
        if tuples or len(named) >= 2:
            found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_no_second_table_keyed_by_quantity_exists():
    assert [hit for path in sorted(PACKAGE.rglob("*.py")) for hit in _keys_by_quantity(path)] == []


def test_the_scan_finds_a_planted_second_table(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text('TRUTHS = {("macs", "keras"): 1}\nt = {}\nt["same_pad_total", "jax"] = 2\n'
                       'WORDS = {"params": 1, "macs": 2}\nCOLUMN = {"macs": 3}\n')
    assert _keys_by_quantity(planted, tmp_path) == ["planted.py:1", "planted.py:3",
                                                    "planted.py:4"]


def test_each_entry_holds_its_symbolic_truth_counted_form_and_unpadded_slice():
    truths = symbolic_truths()
    assert set(truths) == {key for key, entry in QUANTITIES.items() if entry.symbolic}
    # every quantity is stated symbolically except the padded conventions' MACs, which
    # become the valid convention's (counted, proved by mac-count) with the padding at 0
    assert sorted(set(QUANTITIES) - set(truths)) == [("macs", "jax"), ("macs", "torch")]
    for key in sorted(set(QUANTITIES) - set(truths)):
        target = lookup(key[0], QUANTITIES[key].unpadded.convention)
        assert target.symbolic is not None and target.counted == (
            "(floor((n - d*(k - 1) - 1)/s) + 1)*k", "mac-count")
    assert specialised("macs", "jax", {"p_before": 0, "p_after": 0}) == "tensorflow"
    assert specialised("macs", "jax", {"p_before": 0}) == "jax"
    assert specialised("output_size", "torch", {"p": 0}) == "torch"
    assert closed_form("macs", "tensorflow")[2] == "mac-count"


@pytest.mark.parametrize("key", sorted(symbolic_truths()))
def test_each_symbolic_truth_agrees_with_its_numeric_truth(key):
    """Both truths of an entry at every point of a small grid where the entry is valid."""
    entry = QUANTITIES[key]
    used = sorted({sym.name for a in (entry.symbolic.expr, *entry.symbolic.assumptions)
                   for sym in a.free_symbols} | set(entry.variables))
    grid = np.meshgrid(*(np.arange(1, 10) if v == "n" else np.arange(0, 3)
                         if v.startswith(("p", "op")) else np.arange(1, 4) for v in used),
                       indexing="ij")
    columns = {v: g.ravel() for v, g in zip(used, grid)}
    keep = np.ones(len(grid[0].ravel()), dtype=bool)
    for assumption in entry.symbolic.assumptions:
        num, den, _ = evaluate_exact(assumption, columns)
        keep &= np.asarray(num * den >= 0, dtype=bool)
    if entry.is_valid is not None:
        keep &= entry.is_valid(columns)
    num, den, undefined = evaluate_exact(entry.symbolic.expr, columns)
    truth = entry.truth(columns)
    assert keep.any() and not undefined[keep].any()
    assert (num[keep] == truth[keep] * den[keep]).all()


def test_the_definition_proof_reads_the_table():
    assert definition_proof("macs", "keras").check()
    assert definition_proof("macs", "torch") is None


n, s = SYMBOLS["n"], SYMBOLS["s"]


@pytest.mark.parametrize("text", ["n // (s - 2) + n % 3 - ceil(n / s)", "max(n, 2*s) - min(n/2, s)",
                                  "abs(n - 5*s) ** 2", "(n % s) * 2 % 3", "n / (s - 1)"])
def test_tree_and_sympy_forms_evaluate_alike(text):
    columns = {"n": np.arange(-6, 7).repeat(4), "s": np.tile(np.arange(1, 5), 13)}
    tree, expr = parse_tree(text), parse_formula(text)
    (a, b, bad_a), (c, e, bad_c) = evaluate_many(tree, columns), evaluate_many(expr, columns)
    assert (bad_a == bad_c).all()
    assert (a * e == c * b)[~bad_a].all()


def test_the_box_evaluator_is_the_exact_one():
    expr = Windows(n - 3, s) + Iverson(n - s) + sympy.floor(n / s) + sympy.Mod(n, s)
    env = {n: np.arange(-5, 6), s: np.full(11, 3)}
    num, den = evaluate(expr, env)
    exact = evaluate_exact(expr, {"n": env[n], "s": env[s]})
    assert (num == exact[0]).all() and (den == exact[1]).all()
    expected = [max(0, (v - 3) // 3 + 1) + (v >= 3) + v // 3 + v % 3 for v in range(-5, 6)]
    assert (num // den).tolist() == expected


def test_division_by_zero_is_undefined_not_a_value():
    _, _, undefined = evaluate_exact(n / (s - 1) + sympy.Mod(n, s - 2),
                                     {"n": [4, 4, 4], "s": [1, 2, 3]})
    assert undefined.tolist() == [True, True, False]
    with pytest.raises(ZeroDivisionError):
        evaluate(n / (s - 1), {n: np.array([4]), s: np.array([1])})


def test_the_one_window_counter_counts_the_windows_that_fit():
    grid = np.array(list(itertools.product(range(-3, 15), range(0, 6), range(1, 5)))).T
    length, span, stride = grid
    expected = [len([i for i in range(40) if st * i + sp <= ln])
                for ln, sp, st in zip(length, span, stride)]
    assert count_windows(length, span, stride).tolist() == expected
    num, den = evaluate(Windows(n - 3, s), {n: length - span + 3, s: stride})
    assert (num // den).tolist() == expected
