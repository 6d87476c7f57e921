"""Pieces the theorem modules share: parameter sets, standard steps, numeric cross-checks."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from fractions import Fraction
from functools import lru_cache
from types import ModuleType
from typing import Any

import numpy as np
import sympy

from ..errors import TheoremError, describe
from ..geometry import Geometry
from ..operators import LinearOperator
from ..proof import Display, Math, Step
from .engine import Outcome

#: Parameters of a single convolution layer, with small defaults.
LAYER = {"input_shape": (4, 4), "kernel_shape": (3, 3), "stride": 1, "padding": 0,
         "dilation": 1, "in_channels": 1, "out_channels": 1, "groups": 1}

def correlation_index(stride: int | str = "s", pad: int | str = "p",
                      dilation: int | str = "d", taps: int | str = "k") -> Math:
    r"""The index rule of the correlation matrix along one axis, as LaTeX and as text.

    Row ``i``, column ``j`` holds the kernel tap ``m = (j - s i + p)/d`` (``p`` the pad
    before) when that is an integer in ``0 .. k-1``, else 0 (Dumoulin and Visin's
    convention). Numbers may be given for any of ``s, p, d, k`` to print the rule of
    one layer.

    Examples
    --------
    >>> print(correlation_index().plain)
    C[i, j] = k[m] with m = (j - s*i + p)/d if that is an integer in 0..k-1, else 0
    >>> print(correlation_index(2, 1, 2, 3).latex)
    C_{i,j} = k_m,\ \ m = \frac{j - 2\,i + 1}{2} \in \{0, \dots, 3-1\};\ \ 0 \text{ otherwise}
    """
    return Math(rf"C_{{i,j}} = k_m,\ \ m = \frac{{j - {stride}\,i + {pad}}}{{{dilation}}} "
                rf"\in \{{0, \dots, {taps}-1\}};\ \ 0 \text{{ otherwise}}",
                f"C[i, j] = k[m] with m = (j - {stride}*i + {pad})/{dilation} if that is an "
                f"integer in 0..{taps}-1, else 0")


#: Index formula of the correlation matrix, one axis, in the symbols s, p, d, k.
CORRELATION_INDEX = correlation_index()


def layer_text(g: Geometry) -> str:
    """A one-line description of a geometry for prose.

    Examples
    --------
    >>> layer_text(Geometry((5, 5), (3, 3), stride=2, padding=1))
    'input 5x5, kernel 3x3, stride 2, pads ((1, 1), (1, 1)), dilation 1, output 3x3'
    """
    def size(t):
        return "x".join(map(str, t))

    stride = g.stride[0] if len(set(g.stride)) == 1 else g.stride
    dilation = g.dilation[0] if len(set(g.dilation)) == 1 else g.dilation
    return (f"input {size(g.input_shape)}, kernel {size(g.kernel_shape)}, stride {stride}, "
            f"pads {g.pads}, dilation {dilation}, output {size(g.output_shape)}")


def show(label_latex: str, value: Any, label_plain: str = "") -> Display:
    """A ``label = value`` display item."""
    return Display(label_latex, value, label_plain or label_latex)


def comparison_step(lhs: str, rhs: str, compared: int, holds: bool,
                    difference: dict | None) -> Step:
    """The step that states the outcome of an exact entrywise comparison."""
    if holds:
        text = (f"All {compared} entries of ${lhs} - {rhs}$ expand to $0$: the two sides are "
                "identical polynomials in the symbols.")
        return Step("Compare", text, (Math(f"{lhs} - {rhs} = 0", f"{lhs} - {rhs} = 0"),))
    where = ", ".join(f"{k} = {v}" for k, v in (difference or {}).items())
    return Step("Compare", f"The two sides differ: {where}.",
                (Math(f"{lhs} \\neq {rhs}", f"{lhs} != {rhs}"),))


def random_integers(shape: tuple[int, ...], seed: int) -> np.ndarray:
    """Deterministic small integers (-3..3) for numeric cross-checks (a fresh array).

    The same ``(shape, seed)`` recurs at every domain point of a theorem: each draw is
    made once per process (seeding a generator costs more than the draw) and copied.

    Examples
    --------
    >>> a = random_integers((2, 3), 0)
    >>> a.tolist() == np.random.default_rng(0).integers(-3, 4, size=(2, 3)).tolist()
    True
    >>> a[0, 0] = 99; bool(random_integers((2, 3), 0)[0, 0] != 99)
    True
    """
    size = (int(shape),) if np.ndim(shape) == 0 else tuple(int(n) for n in shape)
    return _drawn(size, int(seed)).copy()


@lru_cache(maxsize=4096)
def _drawn(shape: tuple[int, ...], seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(-3, 4, size=shape).astype(float)


def numeric_agrees(op: LinearOperator, oracle: Callable[[np.ndarray, np.ndarray], np.ndarray],
                   trials: int = 3, seed: int = 0) -> bool:
    """Whether ``op.numeric(w) @ x`` equals ``oracle(x, w)`` for a few random integer cases.

    ``oracle`` is an independent implementation from :mod:`symconv.numeric`.
    """
    for t in range(trials):
        w = random_integers(op.kernel_shape, seed + 2 * t) if op.has_kernel else None
        x = random_integers(op.input_shape, seed + 2 * t + 1)
        got = op.numeric(w) @ x.reshape(-1)
        want = oracle(x, w)
        if want.shape != tuple(op.output_shape):
            return False
        want = want.reshape(-1)  # equal arrays are allclose; compared exactly first (cheaper)
        if not (np.array_equal(got, want) or np.allclose(got, want)):
            return False
    return True


def entries_count(m: sympy.MatrixBase) -> int:
    """Number of entries of a matrix (rows x columns)."""
    return m.rows * m.cols


def flat(a: Any) -> list:
    """The entries of a SymPy array (or nested list / NumPy array) in C order.

    Examples
    --------
    >>> flat(sympy.Array([[1, 2], [3, 4]])), flat(sympy.Array(5)), flat([[1], [2]])
    ([1, 2, 3, 4], [5], [1, 2])
    """
    if isinstance(a, sympy.NDimArray):  # reshaped in one pass: SymPy stores C order
        return list(a.reshape(len(a))) if a.rank() else [a[()]]
    return list(np.asarray(a, dtype=object).ravel())


def flip_array(a: sympy.NDimArray, axes: tuple[int, ...] | None = None) -> sympy.Array:
    """A SymPy array read backwards along ``axes`` (all axes when None).

    Examples
    --------
    >>> flip_array(sympy.Array([[1, 2], [3, 4]]), axes=(1,))
    [[2, 1], [4, 3]]
    """
    values = np.array(a.tolist(), dtype=object)
    return sympy.Array(np.flip(values, axis=axes).tolist())


def with_proof_for_all_sizes(outcome: Outcome,
                             proof: Callable[[], tuple[Sequence[Step], bool]],
                             applies: bool = True) -> Outcome:
    """Append a proof for all sizes to a holding outcome of the claim it proves.

    ``proof()`` returns its steps and whether it checks; it runs only when the outcome
    holds and the proof ``applies`` to the claim checked. Then the evidence gains
    ``parametric``.

    Examples
    --------
    >>> held = Outcome(True, (), evidence=("symbolic",))
    >>> with_proof_for_all_sizes(held, lambda: ([Step("Chain", "")], True)).evidence
    ('parametric', 'symbolic')
    >>> with_proof_for_all_sizes(held, lambda: ([], False)).evidence
    ('symbolic',)
    """
    if not (outcome.holds and applies):
        return outcome
    steps, ok = proof()
    if not ok:
        return outcome
    return replace(outcome, steps=outcome.steps + tuple(steps),
                   evidence=("parametric", *outcome.evidence))


def optional_backend(module: str) -> ModuleType | None:
    """An optional backend (``"torch"``, ...) if it imports, else None.

    A cross-check that needs a backend which is absent is not run, and the proof says
    so ("not run: PyTorch is not installed"): its points are not counted and its
    conclusion is not claimed.

    Examples
    --------
    >>> optional_backend("numpy").__name__
    'numpy'
    >>> optional_backend("no_such_backend") is None
    True
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


#: Why a PyTorch cross-check was not run.
TORCH_NOT_RUN = "not run: PyTorch is not installed"


#: An exact number as notes write it: a decimal (``2.9``) or a fraction (``29/10``), at
#: most 30 digits a part, so that no claimed value costs more than it says.
EXACT_NUMBER = re.compile(r"[+-]?\d{1,30}(\.\d{1,30})?(/\d{1,30})?")


def exact_number(parameter: str, value: Any) -> Fraction:
    """The exact rational a claim states, from a decimal or fraction literal (or an int).

    Examples
    --------
    >>> exact_number("expected", "2.9"), exact_number("ratio", "-29/10")
    (Fraction(29, 10), Fraction(-29, 10))
    >>> exact_number("expected", "nan")
    Traceback (most recent call last):
        ...
    symconv.errors.TheoremError: expected must be an exact decimal or fraction literal of at \
most 30 digits a part (a nonzero denominator), got 'nan' (valid: e.g. 2.9, -3, 29/10)
    """
    text = str(value).strip()
    if not EXACT_NUMBER.fullmatch(text) or int(text.partition("/")[2] or 1) == 0:
        raise TheoremError(describe(parameter, value, "must be an exact decimal or fraction "
                                    "literal of at most 30 digits a part (a nonzero "
                                    "denominator)", "e.g. 2.9, -3, 29/10"))
    return Fraction(text)
