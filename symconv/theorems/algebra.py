"""Algebra of full convolution: commutative, associative, a polynomial product, and
diagonalised by the DFT; full correlation is neither commutative nor associative.

Signals are SymPy arrays of symbols (``a_{0}, a_{1}, ...``; 1-D or 2-D). The full
convolution ``a * b`` is built with the library's operator: the convolution matrix
with ``"full"`` padding and kernel ``b``, applied to ``a``. Every identity is checked
by expanding the difference of both sides; negative statements are proved by a
witness (the smallest sizes where the two sides differ as polynomials) and a
concrete integer example computed by the NumPy oracle.

Examples
--------
>>> a, b = signal((2,), "a"), signal((2,), "b")
>>> full_convolve(a, b)
[a_{0}*b_{0}, a_{0}*b_{1} + a_{1}*b_{0}, a_{1}*b_{1}]
>>> full_correlate(a, b)
[a_{1}*b_{0}, a_{0}*b_{0} + a_{1}*b_{1}, a_{0}*b_{1}]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

import numpy as np
import sympy

from .. import numeric
from ..claim.theorem import claim_outcome
from ..geometry import Geometry
from ..operators import circular_convolution, correlation, indexed_symbols
from ..proof import Math, Step
from .common import comparison_step, flat, flip_array, random_integers, show
from .engine import Outcome, first_difference, theorem

# ---------------------------------------------------------------------------
# Signals and the two full products, built with the operators
# ---------------------------------------------------------------------------


def signal(shape: Sequence[int], name: str) -> sympy.Array:
    """A symbolic signal ``name_{i,...}`` of the given spatial shape (no channel axis).

    Examples
    --------
    >>> signal((3,), "a")
    [a_{0}, a_{1}, a_{2}]
    """
    return indexed_symbols(tuple(shape), name)


def _apply_full(a: sympy.NDimArray, kernel: sympy.NDimArray, flip: bool) -> sympy.Array:
    """Full-padding correlation (or convolution if ``flip``) of ``a`` with ``kernel``."""
    g = Geometry(tuple(a.shape), tuple(kernel.shape), padding="full")
    op = correlation(g, flip=flip)
    matrix = op.matrix.xreplace(dict(zip(op.kernel_flat, flat(kernel))))
    y = matrix * sympy.Matrix(flat(a))
    return sympy.Array([sympy.expand(v) for v in y], g.output_shape)


def full_convolve(a: sympy.NDimArray, b: sympy.NDimArray) -> sympy.Array:
    """Full convolution ``(a * b)_t = sum_{i + j = t} a_i b_j`` (any number of axes).

    Built as the convolution matrix of kernel ``b`` with ``"full"`` padding applied to ``a``.

    Examples
    --------
    >>> full_convolve(sympy.Array([1, 1]), sympy.Array([1, 2, 1]))
    [1, 3, 3, 1]
    """
    return _apply_full(a, b, flip=True)


def full_correlate(a: sympy.NDimArray, b: sympy.NDimArray) -> sympy.Array:
    """Full cross-correlation ``a ⋆ b``: kernel ``a`` slid over ``b`` (framework convolution).

    ``(a ⋆ b)_t = sum_m a_m b_{t + m - (|a| - 1)}`` per axis, length ``|a| + |b| - 1``.

    Examples
    --------
    >>> full_correlate(sympy.Array([1, 2]), sympy.Array([1, 0, 0]))
    [2, 1, 0, 0]
    """
    return _apply_full(b, a, flip=False)


def _oracle(x: np.ndarray, w: np.ndarray, flip: bool) -> np.ndarray:
    """The NumPy oracle's full convolution (flip) or correlation of kernel ``w`` over ``x``."""
    g = Geometry(x.shape, w.shape, padding="full")
    run = numeric.convolve if flip else numeric.correlate
    return run(x[None], w[None, None], g)[0]


def _values(arrays: dict[str, sympy.NDimArray], seed: int) -> dict[str, np.ndarray]:
    return {name: random_integers(tuple(a.shape), seed + i)
            for i, (name, a) in enumerate(sorted(arrays.items()))}


def _substitute(expr: sympy.NDimArray, arrays: dict[str, sympy.NDimArray],
                values: dict[str, np.ndarray]) -> np.ndarray:
    swap = {}
    for name, a in arrays.items():
        swap.update({s: sympy.Integer(int(v)) for s, v in zip(flat(a), values[name].ravel())})
    entries = [float(v.xreplace(swap)) for v in flat(expr)]
    return np.array(entries).reshape(tuple(expr.shape))


def _agrees(expr: sympy.NDimArray, arrays: dict[str, sympy.NDimArray],
            oracle: Callable[[dict[str, np.ndarray]], np.ndarray], trials: int = 3) -> bool:
    """Whether the symbolic result, at random integers, equals the NumPy oracle's."""
    for t in range(trials):
        values = _values(arrays, 10 * t)
        want = oracle(values)
        got = _substitute(expr, arrays, values)
        if want.shape != got.shape or not np.allclose(got, want):
            return False
    return True


def _size(shape: Sequence[int]) -> str:
    return "x".join(map(str, shape))


def _shape_points(shapes: Sequence[Sequence[tuple[int, ...]]], names: Sequence[str]):
    """Every combination of the given shapes, smallest total size first."""
    points = [dict(zip(names, combo)) for combo in itertools.product(*shapes)]
    points.sort(key=lambda p: (sum(math.prod(s) for s in p.values()), len(p[names[0]]),
                               [s for n in names for s in p[n]]))
    return points


SIZES_1D = [(n,) for n in range(1, 5)]
SIZES_2D = [(1, 2), (2, 1), (2, 2)]

CONV_DEF = Math(r"(a \ast b)_t = \sum_{i + j = t} a_i\, b_j",
                "(a * b)[t] = sum over i + j = t of a[i] b[j]")
CORR_DEF = Math(r"(a \star b)_t = \sum_{m} a_m\, b_{t + m - (|a| - 1)}",
                "(a ⋆ b)[t] = sum_m a[m] b[t + m - (|a| - 1)]")


# ---------------------------------------------------------------------------
# Commutativity and associativity of full convolution
# ---------------------------------------------------------------------------


def _pairs_domain():
    return (_shape_points([SIZES_1D, SIZES_1D], ["a_shape", "b_shape"])
            + _shape_points([SIZES_2D, SIZES_2D], ["a_shape", "b_shape"]))


@theorem("commutativity", family="algebra",
         statement="Full convolution is commutative: a * b = b * a for signals a, b of any "
                   "sizes (1-D or 2-D).",
         latex=r"a \ast b = b \ast a",
         parameters={"a_shape": (3,), "b_shape": (2,)}, domain=_pairs_domain,
         domain_text="1-D sizes 1..4 for each signal, and 2-D shapes 1x2, 2x1, 2x2 for each")
def commutativity(a_shape, b_shape) -> Outcome:
    """Defined by its claim text, checked at the point's shapes by :func:`symconv.check`."""
    return claim_outcome('conv(a, b, padding="full") == conv(b, a, padding="full")',
                         a=a_shape, b=b_shape)


def _triples_domain():
    sizes = [(n,) for n in range(1, 4)]
    return (_shape_points([sizes] * 3, ["a_shape", "b_shape", "c_shape"])
            + _shape_points([[(1, 2), (2, 2)]] * 3, ["a_shape", "b_shape", "c_shape"]))


@theorem("associativity", family="algebra",
         statement="Full convolution is associative: (a * b) * c = a * (b * c) (1-D or 2-D).",
         latex=r"(a \ast b) \ast c = a \ast (b \ast c)",
         parameters={"a_shape": (3,), "b_shape": (2,), "c_shape": (2,)},
         domain=_triples_domain,
         domain_text="1-D sizes 1..3 for each of a, b, c, and 2-D shapes 1x2, 2x2 for each")
def associativity(a_shape, b_shape, c_shape) -> Outcome:
    """Defined by its claim text, checked at the point's shapes by :func:`symconv.check`."""
    full = 'padding="full"'
    return claim_outcome(f"conv(conv(a, b, {full}), c, {full}) == "
                         f"conv(a, conv(b, c, {full}), {full})", a=a_shape, b=b_shape,
                         c=c_shape)


# ---------------------------------------------------------------------------
# Correlation: neither commutative nor associative (proved by a witness)
# ---------------------------------------------------------------------------


def _witness_shapes(ndim: int, max_size: int, count: int) -> list[tuple[tuple[int, ...], ...]]:
    per_axis = list(itertools.product(range(1, max_size + 1), repeat=ndim))
    combos = list(itertools.product(per_axis, repeat=count))
    combos.sort(key=lambda c: (sum(math.prod(s) for s in c), c))
    return combos


def _concrete_values(shapes: Sequence[tuple[int, ...]]) -> list[np.ndarray]:
    """Consecutive integers 1, 2, 3, ... filling the signals in order."""
    out, start = [], 1
    for shape in shapes:
        size = math.prod(shape)
        out.append(np.arange(start, start + size).reshape(shape))
        start += size
    return out


def _as_array(values: np.ndarray) -> sympy.Array:
    return sympy.Array([sympy.Integer(int(v)) for v in values.ravel()], values.shape)


def _witness_outcome(names, shapes_tried, build, oracle, lhs_tex, rhs_tex, setting, note):
    """Search sizes smallest first; the first symbolic difference is the witness.

    The evidence is ``exhaustive``: every smaller size was checked (and agreed), and at
    the witness the difference of the two sides is a nonzero polynomial, confirmed by
    the concrete integer example.
    """
    agreed = []
    tried_to = ", ".join(_size(s) for s in shapes_tried[-1])
    for shapes in shapes_tried:
        arrays = [signal(s, n) for s, n in zip(shapes, names)]
        lhs, rhs = build(*arrays)
        difference = first_difference(lhs, rhs, (lhs_tex, rhs_tex))
        if difference is None:
            agreed.append(shapes)
            continue
        values = _concrete_values(shapes)
        ints = [_as_array(v) for v in values]
        c_lhs, c_rhs = build(*ints)
        o_lhs, o_rhs = oracle(*values)
        agrees = (np.array_equal(np.array(c_lhs.tolist(), dtype=float), o_lhs)
                  and np.array_equal(np.array(c_rhs.tolist(), dtype=float), o_rhs))
        sizes = ", ".join(f"|{n}| = {_size(s)}" for n, s in zip(names, shapes))
        witness = {**{f"{n}_shape": s for n, s in zip(names, shapes)},
                   **{n: v.tolist() for n, v in zip(names, values)},
                   "lhs": c_lhs.tolist(), "rhs": c_rhs.tolist(),
                   "symbolic_difference_at": difference["position"]}
        tried = "; ".join(", ".join(_size(s) for s in t) for t in agreed) or "none"
        steps = (
            setting,
            Step("Search", f"Sizes tried smallest first (total entries); the two sides agree "
                 f"as polynomials at: {tried}. They first differ at {sizes}.", ()),
            Step("Symbolic witness", f"At {sizes} the two sides are different polynomials: "
                 f"at position {difference['position']} they read "
                 f"${sympy.latex(lhs[difference['position']])}$ and "
                 f"${sympy.latex(rhs[difference['position']])}$.",
                 (show(lhs_tex, lhs), show(rhs_tex, rhs))),
            Step("Concrete example", "With the integers below (the NumPy oracle computes the "
                 "same values) the two sides differ.",
                 tuple(show(n, a) for n, a in zip(names, ints))
                 + (show(lhs_tex, c_lhs), show(rhs_tex, c_rhs),
                    Math(f"{lhs_tex} \\neq {rhs_tex}", f"{lhs_tex} != {rhs_tex}"))),
            note,
        )
        return Outcome(True, steps, witness=witness, evidence=("exhaustive",), numeric=agrees,
                       domain=f"the sizes searched smallest first up to {tried_to}")
    steps = (setting, Step("Search", "No sizes in the searched range give different sides.", ()))
    return Outcome(False, steps, {"difference": "no witness found up to max_size"},
                   evidence=("exhaustive",))


def _witness_domain():
    return [{"ndim": 1, "max_size": 3}, {"ndim": 2, "max_size": 2}]


@theorem("correlation-not-commutative", family="algebra",
         statement="Full cross-correlation is not commutative: there are signals a, b with "
                   "a ⋆ b != b ⋆ a (a ⋆ b slides kernel a over b); instead a ⋆ b = flip(b ⋆ a).",
         latex=r"\exists\, a, b:\ a \star b \neq b \star a",
         parameters={"ndim": 1, "max_size": 3}, domain=_witness_domain,
         domain_text="1-D signal sizes up to 3 and 2-D shapes up to 2x2, a witness found "
                     "in each")
def correlation_not_commutative(ndim, max_size) -> Outcome:
    """The smallest sizes where ``a ⋆ b`` and ``b ⋆ a`` differ, and an integer example."""
    setting = Step("Setting", "Full cross-correlation, what frameworks call convolution "
                   "with full padding: kernel $a$ slides over $b$ without flipping.",
                   (CORR_DEF,))
    note = Step("What does hold", "Swapping the arguments reverses the output: "
                "$a \\star b = \\operatorname{flip}(b \\star a)$, because "
                "$a \\star b = \\operatorname{flip}(a) \\ast b$ and convolution commutes.",
                (Math(r"a \star b = \operatorname{flip}(a) \ast b = "
                      r"\operatorname{flip}(b \star a)",
                      "a ⋆ b = flip(a) * b = flip(b ⋆ a)"),))

    def build(a, b):
        return full_correlate(a, b), full_correlate(b, a)

    def oracle(a, b):
        return _oracle(b, a, flip=False), _oracle(a, b, flip=False)

    outcome = _witness_outcome(("a", "b"), _witness_shapes(ndim, max_size, 2), build, oracle,
                               r"a \star b", r"b \star a", setting, note)
    if outcome.holds:
        a, b = signal(outcome.witness["a_shape"], "a"), signal(outcome.witness["b_shape"], "b")
        reversed_ok = first_difference(full_correlate(a, b), flip_array(full_correlate(b, a)))
        if reversed_ok is not None:
            return Outcome(False, outcome.steps, {"flip identity fails": str(reversed_ok)})
    return outcome


@theorem("correlation-not-associative", family="algebra",
         statement="Full cross-correlation is not associative: there are signals a, b, c with "
                   "(a ⋆ b) ⋆ c != a ⋆ (b ⋆ c); convolution needs its flip to be associative.",
         latex=r"\exists\, a, b, c:\ (a \star b) \star c \neq a \star (b \star c)",
         parameters={"ndim": 1, "max_size": 3}, domain=_witness_domain,
         domain_text="1-D signal sizes up to 3 and 2-D shapes up to 2x2, a witness found "
                     "in each")
def correlation_not_associative(ndim, max_size) -> Outcome:
    """The smallest sizes where the two bracketings differ, and an integer example."""
    setting = Step("Setting", "Full cross-correlation ($a \\star b$: kernel $a$ slid over $b$, "
                   "no flip), bracketed both ways.", (CORR_DEF,))
    note = Step("Why", "With $a \\star b = \\operatorname{flip}(a) \\ast b$: "
                "$(a \\star b) \\star c = a \\ast \\operatorname{flip}(b) \\ast c$ but "
                "$a \\star (b \\star c) = \\operatorname{flip}(a) \\ast \\operatorname{flip}(b) "
                "\\ast c$; they differ whenever $a$ is not symmetric. Convolution flips, and is "
                "associative.", ())

    def build(a, b, c):
        return full_correlate(full_correlate(a, b), c), full_correlate(a, full_correlate(b, c))

    def oracle(a, b, c):
        return (_oracle(c, _oracle(b, a, False), False),
                _oracle(_oracle(c, b, False), a, False))

    return _witness_outcome(("a", "b", "c"), _witness_shapes(ndim, max_size, 3), build, oracle,
                            r"(a \star b) \star c", r"a \star (b \star c)", setting, note)


# ---------------------------------------------------------------------------
# Polynomial product
# ---------------------------------------------------------------------------


def _polynomial(a: sympy.NDimArray, variables: Sequence[sympy.Symbol]) -> sympy.Expr:
    shape = tuple(a.shape)
    return sympy.Add(*[a[idx] * sympy.Mul(*[v**e for v, e in zip(variables, idx)])
                       for idx in itertools.product(*map(range, shape))])


@theorem("polynomial-product", family="algebra",
         statement="Full convolution gives the coefficients of the product of polynomials: "
                   "(a * b)_t is the coefficient of z^t in A(z) B(z), A(z) = sum_i a_i z^i "
                   "(2-D: bivariate polynomials).",
         latex=r"\sum_t (a \ast b)_t\, z^t = \Big(\sum_i a_i z^i\Big)\Big(\sum_j b_j z^j\Big)",
         parameters={"a_shape": (3,), "b_shape": (2,)}, domain=_pairs_domain,
         domain_text="1-D sizes 1..4 for each signal, and 2-D shapes 1x2, 2x1, 2x2 for each")
def polynomial_product(a_shape, b_shape) -> Outcome:
    """Coefficients of ``sympy.Poly(A * B)`` against the full convolution."""
    a, b = signal(a_shape, "a"), signal(b_shape, "b")
    conv = full_convolve(a, b)
    variables = sympy.symbols(f"z_0:{len(a_shape)}") if len(a_shape) > 1 else (sympy.Symbol("z"),)
    pa, pb = _polynomial(a, variables), _polynomial(b, variables)
    product = sympy.Poly(sympy.expand(pa * pb), *variables)
    shape = tuple(conv.shape)
    coeffs = sympy.Array([product.coeff_monomial(sympy.Mul(*[v**e for v, e in
                                                             zip(variables, idx)]))
                          for idx in itertools.product(*map(range, shape))], shape)
    difference = first_difference(conv, coeffs, ("a*b", "coefficients of A B"))
    steps = (
        Step("Setting", f"Signals $a$ ({_size(a_shape)}) and $b$ ({_size(b_shape)}); their "
             "generating polynomials.", (CONV_DEF, Math(f"A = {sympy.latex(pa)},\\quad "
                                                        f"B = {sympy.latex(pb)}",
                                                        f"A = {pa}, B = {pb}"))),
        Step("Multiply", "Expanding $A B$ and collecting powers: the coefficient of "
             "$z^t$ collects the products $a_i b_j$ with $i + j = t$.",
             (show(r"\operatorname{coeffs}(A B)", coeffs), show(r"a \ast b", conv))),
        comparison_step(r"a \ast b", r"\operatorname{coeffs}(A B)", len(flat(conv)),
                        difference is None, difference),
    )
    arrays = {"a": a, "b": b}
    if len(a_shape) == 1:
        def oracle(v):
            return numeric.full_convolve_1d(v["a"], v["b"])
    else:
        def oracle(v):
            return _oracle(v["a"], v["b"], flip=True)
    agrees = _agrees(coeffs, arrays, oracle)
    return Outcome(difference is None, steps, difference, numeric=agrees)


# ---------------------------------------------------------------------------
# The convolution theorem, exact in the cyclotomic field
# ---------------------------------------------------------------------------

OMEGA = sympy.Symbol("omega")


def dft_matrix(n: int, root: sympy.Expr = OMEGA) -> sympy.Matrix:
    """``F[a, b] = root^(a b mod n)``, the DFT matrix with ``root`` a primitive n-th root.

    Examples
    --------
    >>> dft_matrix(2)
    Matrix([
    [1,     1],
    [1, omega]])
    """
    return sympy.Matrix(n, n, lambda i, j: root ** ((i * j) % n))


def _reduce(expr: sympy.Expr, order: int) -> sympy.Expr:
    """``expr`` expanded, with every power of ``OMEGA`` reduced mod ``order`` (omega^N = 1)."""
    expanded = sympy.expand(expr)
    return sympy.expand(expanded.replace(
        lambda e: e.is_Pow and e.base == OMEGA, lambda e: OMEGA ** (int(e.exp) % order)))


def _conv_theorem_domain():
    points = [{"input_shape": (n,), "kernel_shape": (k,)} for n in range(1, 7)
              for k in range(1, n + 1)]
    points += [{"input_shape": (2, 2), "kernel_shape": (2, 2)},
               {"input_shape": (2, 3), "kernel_shape": (1, 2)}]
    return points


@theorem("convolution-theorem", family="algebra",
         statement="The DFT diagonalises circular convolution: F C F^{-1} = diag(F k), with k "
                   "zero-padded to the input size (2-D: F = F_{n_0} ⊗ F_{n_1}).",
         latex=r"F\, C\, F^{-1} = \operatorname{diag}(F \tilde k)",
         parameters={"input_shape": (4,), "kernel_shape": (3,)},
         domain=_conv_theorem_domain,
         domain_text="1-D n = 1..6 with every kernel size k <= n, and 2-D 2x2 (kernel 2x2), "
                     "2x3 (kernel 1x2)")
def convolution_theorem(input_shape, kernel_shape) -> Outcome:
    """Check ``F C = diag(F k) F`` exactly, which is ``F C F^{-1} = diag(F k)``.

    ``omega`` is a primitive N-th root of unity (N the lcm of the axis sizes), kept as
    a symbol; the only fact used is ``omega^N = 1``, so every exponent is reduced mod N
    and the two sides must then agree as polynomials. ``F`` is invertible
    (``F^{-1} = conj(F)/n``), so this is the diagonalisation.
    """
    op = circular_convolution(input_shape, kernel_shape)
    sizes = tuple(input_shape)
    big = math.lcm(*sizes)
    f = sympy.Matrix([[1]])
    for n in sizes:
        f = sympy.kronecker_product(f, dft_matrix(n, OMEGA ** (big // n)))
    f = f.applyfunc(lambda e: _reduce(e, big))
    c = sympy.Matrix(op.matrix)
    padded = sympy.zeros(math.prod(sizes), 1)
    for idx in itertools.product(*map(range, kernel_shape)):
        padded[int(np.ravel_multi_index(idx, sizes)), 0] = op.kernel[(0, 0, *idx)]
    spectrum = (f * padded).applyfunc(lambda e: _reduce(e, big))
    lhs = (f * c).applyfunc(lambda e: _reduce(e, big))
    rhs = (sympy.diag(*spectrum) * f).applyfunc(lambda e: _reduce(e, big))
    difference = first_difference(lhs, rhs, ("F C", "diag(F k) F"))
    root = sympy.exp(-2 * sympy.pi * sympy.I / big)
    steps = (
        Step("Setting", f"Circular convolution on {_size(sizes)} samples, kernel "
             f"{_size(kernel_shape)}; $\\omega = {sympy.latex(root)}$ is kept as a symbol and the "
             f"only fact used is $\\omega^{{{big}}} = 1$: every exponent is reduced mod {big}, "
             "so the comparison is exact.",
             (Math(r"C_{i,\,(i - m) \bmod n} = k_m,\qquad F_{a b} = \omega^{a b}",
                   "C[i, (i - m) mod n] = k[m],  F[a, b] = omega^(a b)"),)),
        Step("The matrices", "$\\tilde k$ is the kernel zero-padded to the input size.",
             (show("C", c), show("F", f), show(r"F \tilde k", spectrum.T))),
        Step("Diagonalisation", "Since $F$ is invertible ($F^{-1} = \\bar F / n$), "
             "$F C F^{-1} = \\operatorname{diag}(F\\tilde k)$ is the same as "
             "$F C = \\operatorname{diag}(F\\tilde k)\\, F$: row $a$ of $F C$ is $\\lambda_a$ "
             "times row $a$ of $F$, because $\\sum_i \\omega^{a i} k_{(i-j) \\bmod n} = "
             "\\omega^{a j}\\lambda_a$.",
             (show("F C", lhs), show(r"\operatorname{diag}(F \tilde k)\, F", rhs))),
        comparison_step("F C", r"\operatorname{diag}(F \tilde k) F", lhs.rows * lhs.cols,
                        difference is None, difference),
    )
    return Outcome(difference is None, steps, difference,
                   numeric=_fft_agrees(op, tuple(kernel_shape)))


def _fft_agrees(op, kernel_shape: tuple[int, ...]) -> bool:
    """NumPy's FFT: ``ifft(fft(k~) fft(x))`` equals the oracle's circular convolution."""
    sizes = tuple(op.input_shape[1:])
    for t in range(3):
        x = random_integers(sizes, 2 * t)
        w = random_integers(kernel_shape, 2 * t + 1)
        padded = np.zeros(sizes)
        padded[tuple(slice(0, k) for k in kernel_shape)] = w
        via_fft = np.real(np.fft.ifftn(np.fft.fftn(padded) * np.fft.fftn(x)))
        want = numeric.circular_convolve(x[None], w[None, None])[0]
        got = (op.numeric(w[None, None]) @ x.ravel()).reshape(sizes)
        if not (np.allclose(via_fft, want) and np.allclose(got, want)):
            return False
    return True


__all__ = [
    "associativity", "commutativity", "convolution_theorem", "correlation_not_associative",
    "correlation_not_commutative", "dft_matrix", "full_convolve", "full_correlate", "signal",
    "polynomial_product",
]
