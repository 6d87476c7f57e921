"""Pooling theorems: average pooling as a convolution, max pooling and shifts, unpooling,
rotation-invariant pooling over a rotated filter bank.

- ``avg-pool-as-conv``: PyTorch average pooling (``count_include_pad=True``, no ceil
  overhang) is the strided correlation with the uniform kernel ``1/prod(k)``.
- ``max-pool-equivariance``: max pooling with stride ``s`` commutes with input shifts by
  multiples of ``s`` (output shift ``t/s``) on the rows that stay inside the input.
- ``max-unpool-adjoint``: max unpooling with switches (PyTorch ``MaxUnpool``) is the
  transpose of the max-pool selection, ``<S x, y> = <x, U y>``, when windows do not overlap.
- ``rotation-invariant-pooling``: the global max over positions and the four quarter-turn
  rotations of a kernel is invariant to rotating the input.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import sympy

from .. import numeric
from ..errors import SizeLimitError, TheoremError, require
from ..geometry import Geometry, PoolGeometry
from ..operators import avg_pool, correlation, input_symbols, max_pool
from ..operators import shift as shift_operator
from ..proof import ExactText, Math, Step
from .common import comparison_step, random_integers, show
from .engine import Outcome, first_difference, theorem
from .equivariance import channel_matrix, flat, offsets, rotate, square_geometry

FAMILY = "pooling"

#: Largest number of switch patterns ``max-unpool-adjoint`` enumerates.
MAX_SWITCH_PATTERNS = 4096


def _size(shape: tuple[int, ...]) -> str:
    return "x".join(map(str, shape))


# ---------------------------------------------------------------------------
# Average pooling = strided correlation with a uniform kernel
# ---------------------------------------------------------------------------

AVG_POOL = {"input_shape": (4, 4), "kernel_shape": (2, 2), "stride": 2, "padding": 0,
            "ceil_mode": False, "count_include_pad": True, "channels": 1}


def _avg_pool_domain() -> list[dict[str, Any]]:
    points = []
    for n in range(1, 7):
        for k in range(1, 4):
            for s in range(1, 4):
                for p in range(0, k // 2 + 1):
                    if k <= n + 2 * p:
                        points.append({**AVG_POOL, "input_shape": (n,), "kernel_shape": (k,),
                                       "stride": s, "padding": p})
    points.sort(key=lambda q: (q["input_shape"][0] + q["kernel_shape"][0] + q["stride"]
                               + q["padding"]))
    return points


@theorem("avg-pool-as-conv", family=FAMILY,
         statement="Average pooling (PyTorch, count_include_pad=True, no ceil_mode overhang) "
                   "equals the strided correlation with the uniform kernel 1/prod(k), applied "
                   "per channel. With count_include_pad=False and padding, or a ceil_mode "
                   "window that overhangs, it does not.",
         latex=r"\operatorname{AvgPool}_{k,s,p}(x) = C_{s,p}\!\left(\tfrac{1}{|k|}"
               r"\mathbf 1\right) x",
         parameters=AVG_POOL, domain=_avg_pool_domain,
         domain_text="every valid 1-D average pooling with n<=6, k<=3, s<=3, p<=k//2, "
                     "count_include_pad=True, ceil_mode=False")
def avg_pool_as_conv(input_shape, kernel_shape, stride, padding, ceil_mode, count_include_pad,
                     channels) -> Outcome:
    """The pooling matrix (exact Rational weights) against the uniform-kernel correlation."""
    pool_geometry = PoolGeometry(input_shape, kernel_shape, stride, padding, 1, ceil_mode)
    pool = avg_pool(pool_geometry, count_include_pad=count_include_pad, channels=channels)
    g = Geometry(input_shape, kernel_shape, stride, padding)
    conv = correlation(g, channels, channels, groups=channels)
    weight = sympy.Rational(1, int(np.prod(g.kernel_shape)))
    uniform = conv.matrix.xreplace({symbol: weight for symbol in flat(conv.kernel)})
    difference = first_difference(pool.matrix, uniform, ("AvgPool", "C(1/|k|)"))
    steps = (
        Step("Setting", f"Average pooling on {_size(g.input_shape)} inputs ({channels} "
             f"channel(s)), window {_size(g.kernel_shape)}, stride {g.stride}, padding "
             f"{padding}, ceil_mode={ceil_mode}, count_include_pad={count_include_pad}; pooling "
             f"output {_size(pool_geometry.output_shape)}, correlation output "
             f"{_size(g.output_shape)}.",
             (Math(r"\operatorname{AvgPool}(x)_i = \frac{1}{D_i} \sum_{m} x_{s i - p + m},\quad "
                   r"D_i = \begin{cases} \min(s i - p + K, n + p) - (s i - p) & "
                   r"\text{count\_include\_pad} \\ \#\{\text{real samples}\} & "
                   r"\text{otherwise} \end{cases}",
                   "AvgPool(x)[i] = (1/D_i) sum_m x[s*i - p + m], D_i = window size clipped to "
                   "the padded input (count_include_pad) or number of real samples"),)),
        Step("Uniform kernel", "The correlation with every tap equal to $1/|k|$ divides by the "
             "full window size everywhere; padding contributes zeros.",
             (Math(r"C_{i,j} = \tfrac{1}{|k|}\ \text{if } 0 \le j - s i + p < K",
                   "C[i, j] = 1/|k| if 0 <= j - s*i + p < K"),
              show(r"\operatorname{AvgPool}", pool.matrix),
              show(r"C\!\left(\tfrac{1}{|k|}\mathbf 1\right)", uniform))),
        comparison_step(r"\operatorname{AvgPool}", r"C(\tfrac{1}{|k|}\mathbf 1)",
                        pool.matrix.rows * pool.matrix.cols, difference is None, difference),
    )
    return Outcome(difference is None, steps, difference,
                   numeric=difference is None and _avg_numeric(pool_geometry, g, channels,
                                                               count_include_pad))


def _avg_numeric(pool_geometry: PoolGeometry, g: Geometry, channels: int,
                 count_include_pad: bool) -> bool:
    w = np.full((channels, 1, *g.kernel_shape), 1.0 / np.prod(g.kernel_shape))
    for seed in range(3):
        x = random_integers((channels, *g.input_shape), seed)
        pooled = numeric.avg_pool(x, pool_geometry, count_include_pad)
        if not np.allclose(pooled, numeric.correlate(x, w, g, groups=channels)):
            return False
    return True


# ---------------------------------------------------------------------------
# Max pooling commutes with shifts by multiples of the stride
# ---------------------------------------------------------------------------

MAX_POOL_SHIFT = {"input_shape": (6,), "kernel_shape": (2,), "stride": 2, "shift": 2,
                  "channels": 1}


def _max_pool_domain() -> list[dict[str, Any]]:
    points = []
    for n in range(1, 7):
        for k in range(1, min(n, 3) + 1):
            for s in range(1, 4):
                for u in (1, -1, 2):
                    points.append({**MAX_POOL_SHIFT, "input_shape": (n,), "kernel_shape": (k,),
                                   "stride": s, "shift": s * u})
    points.sort(key=lambda q: (q["input_shape"][0] + q["kernel_shape"][0] + q["stride"],
                               abs(q["shift"])))
    return points


def shifted_rows(pool_geometry: PoolGeometry, t: tuple[int, ...],
                 u: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Output rows ``i`` with ``0 <= i - u < out`` whose window, moved back by ``t``, is inside.

    Examples
    --------
    >>> shifted_rows(PoolGeometry((6,), (2,)), (2,), (1,))
    [(1,), (2,)]
    """
    per_axis = []
    for n, k, s, o, ta, ua in zip(pool_geometry.input_shape, pool_geometry.kernel_shape,
                                  pool_geometry.stride, pool_geometry.output_shape, t, u):
        per_axis.append([i for i in range(o) if 0 <= i - ua < o
                         and 0 <= s * i - ta and s * i - ta + k - 1 < n])
    return list(itertools.product(*per_axis))


@theorem("max-pool-equivariance", family=FAMILY,
         statement="Max pooling (PyTorch, no padding) with stride s commutes with shifts by "
                   "multiples of s: P S_t x and S_{t/s} P x agree on every output row i whose "
                   "source row i - t/s exists (zero-filled shifts). For a shift t that is not a "
                   "multiple of s no output shift u makes P S_t x and S_u P x agree on those "
                   "rows, and the claim is refuted.",
         latex=r"(P\, S_{s u}\, x)_i = (S_u\, P\, x)_i \quad (0 \le i - u < \mathrm{out})",
         parameters=MAX_POOL_SHIFT, domain=_max_pool_domain,
         domain_text="every valid 1-D max pooling with n<=6, k<=min(n,3), s<=3, and shifts "
                     "t = s, -s, 2s")
def max_pool_equivariance(input_shape, kernel_shape, stride, shift, channels) -> Outcome:
    """Compare ``Max`` expressions of both sides on the rows that stay inside the input."""
    mp = max_pool(input_shape, kernel_shape, stride, channels=channels)
    pg = mp.geometry
    t = offsets(shift, pg.ndim)
    x = input_symbols(mp.input_shape)
    lhs = mp.apply(shift_operator(pg.input_shape, t, channels=channels).apply(x))
    px = mp.apply(x)
    multiple = all(ta % sa == 0 for ta, sa in zip(t, pg.stride))
    nearest = tuple(ta // sa for ta, sa in zip(t, pg.stride))
    candidates = [nearest] if multiple else list(itertools.product(
        *[range(-o + 1, o) for o in pg.output_shape]))
    compared = {u: shifted_rows(pg, t, u) for u in candidates}
    if not any(compared.values()):
        return _no_rows_compared(pg, t)
    working, failures = [], {}
    for u in candidates:
        rhs = shift_operator(pg.output_shape, u, channels=channels).apply(px)
        rows = compared[u]
        bad = [(c, *i) for c in range(channels) for i in rows
               if sympy.expand(lhs[(c, *i)] - rhs[(c, *i)]) != 0]
        if bad:
            failures[u] = (bad[0], lhs[bad[0]], rhs[bad[0]])
        elif rows or multiple:
            working.append(u)
    holds = bool(working)
    difference = None
    if not holds:
        u = nearest if nearest in failures else next(iter(failures))
        row, a, b = failures[u]
        difference = {"output_shift": u, "row": row, "P S_t x": ExactText(a),
                      "S_u P x": ExactText(b), "note": "no output shift u works on its rows"}
    rhs = shift_operator(pg.output_shape, nearest, channels=channels).apply(px)
    rows = shifted_rows(pg, t, nearest)
    steps = (
        Step("Setting", f"Max pooling on {_size(pg.input_shape)} inputs, window "
             f"{_size(pg.kernel_shape)}, stride {pg.stride}, output {_size(pg.output_shape)}; "
             f"input shift t = {t} (zeros shifted in).",
             (Math(r"(P x)_i = \max_{0 \le m < K} x_{s i + m}", "(P x)[i] = max_m x[s*i + m]"),
              Math(r"(S_t x)_i = x_{i - t}\ \text{if } 0 \le i - t < n,\ \text{else } 0",
                   "(S_t x)[i] = x[i - t] if 0 <= i - t < n else 0"))),
        Step("Why", "$(P S_t x)_i = \\max_m x_{s i + m - t}$ wherever that window stays "
             "inside. If $t = s u$ this is $\\max_m x_{s (i - u) + m} = (P x)_{i - u}$. "
             "Otherwise the windows start at $s i - t$, which is never a multiple of $s$, so no "
             "output of $P x$ takes the same maximum.",
             (show(r"P\,S_t x", channel_matrix(lhs)),
              show(f"S_{{{','.join(map(str, nearest))}}}\\,P x", channel_matrix(rhs)))),
        Step("Compare", f"Rows compared for u = {nearest}: "
             f"{', '.join(str(r) for r in rows) or 'none'}. Output shifts that work: "
             f"{', '.join(str(u) for u in working) or 'none'}.",
             (Math(r"P\,S_t x = S_{t/s} P x\ \text{on those rows}" if holds else
                   r"P\,S_t x \neq S_u P x\ \text{for every } u",
                   "P S_t x = S_{t/s} P x on those rows" if holds else
                   "P S_t x != S_u P x for every u"),)),
    )
    return Outcome(holds, steps, difference,
                   numeric=holds and multiple and _max_shift_numeric(mp, t, nearest))


def _no_rows_compared(pg: PoolGeometry, t: tuple[int, ...]) -> Outcome:
    """A shift that moves every window out of the input: no row to compare, a vacuous check."""
    rows = (f"the set of output rows of max pooling on {_size(pg.input_shape)} (window "
            f"{_size(pg.kernel_shape)}, stride {pg.stride}) whose window shifted back by "
            f"t = {t} stays inside the input")
    return Outcome(True, (Step("Compare", f"No row to compare: {rows} is empty, for every "
                                          "output shift u.", ()),),
                   evidence=(), domain=rows)


def _max_shift_numeric(mp, t: tuple[int, ...], u: tuple[int, ...]) -> bool:
    rows = shifted_rows(mp.geometry, t, u)
    for seed in range(3):
        x = random_integers(mp.input_shape, seed)
        lhs = numeric.max_pool(numeric.shift(x, t), mp.geometry)
        rhs = numeric.shift(numeric.max_pool(x, mp.geometry), u)
        if not np.allclose(mp.numeric(x), numeric.max_pool(x, mp.geometry)):
            return False
        if any(not np.allclose(lhs[(slice(None), *i)], rhs[(slice(None), *i)]) for i in rows):
            return False
    return True


# ---------------------------------------------------------------------------
# Max unpooling is the transpose of the max-pool selection
# ---------------------------------------------------------------------------

UNPOOL = {"input_shape": (4, 4), "kernel_shape": (2, 2), "stride": None, "channels": 1}


def _unpool_domain() -> list[dict[str, Any]]:
    points = []
    for n in range(1, 7):
        for k in range(1, min(n, 3) + 1):
            for s in range(k, 4):
                points.append({**UNPOOL, "input_shape": (n,), "kernel_shape": (k,),
                               "stride": s})
    points.sort(key=lambda q: (q["input_shape"][0] + q["kernel_shape"][0] + q["stride"]))
    return points


def unpool_matrix(switches: np.ndarray, input_shape: tuple[int, ...]) -> np.ndarray:
    """The matrix of PyTorch ``MaxUnpool`` for fixed switches, built from the NumPy oracle.

    Column ``i`` is :func:`symconv.numeric.max_unpool` of the unit vector ``e_i``.

    Examples
    --------
    >>> unpool_matrix(np.array([[1, 2]]), (4,)).astype(int).tolist()
    [[0, 0], [1, 0], [0, 1], [0, 0]]
    """
    values = np.eye(switches.size).reshape(switches.size, *switches.shape)
    columns = [numeric.max_unpool(v, switches, input_shape).ravel() for v in values]
    return np.stack(columns, axis=1)


def switch_patterns(mp) -> list[np.ndarray]:
    """Every switch pattern max pooling can produce from a 0/1 input, smallest first.

    A pattern chooses one position per window; it is kept when the input that is 1 exactly
    at the chosen positions makes max pooling (first maximum on ties) choose them.
    """
    per_window = mp.windows
    count = int(np.prod([len(w) for w in per_window])) ** mp.channels
    if count > MAX_SWITCH_PATTERNS:
        raise SizeLimitError(f"max-unpool-adjoint would enumerate {count} switch patterns "
                             f"(limit {MAX_SWITCH_PATTERNS}); use a smaller input_shape or "
                             "fewer channels")
    patterns = []
    size = int(np.prod(mp.geometry.input_shape))
    for choice in itertools.product(*(per_window * mp.channels)):
        switches = np.array(choice, dtype=np.int64).reshape(mp.output_shape)
        x = np.zeros((mp.channels, size))
        for c in range(mp.channels):
            x[c, switches[c].ravel()] = 1
        x = x.reshape(mp.input_shape)
        if np.array_equal(mp.switches(x), switches):
            patterns.append(switches)
    return patterns


@theorem("max-unpool-adjoint", family=FAMILY,
         statement="Max unpooling with switches (PyTorch MaxUnpool: scatter each pooled value to "
                   "its switch, zeros elsewhere) is the transpose of the max-pool selection S: "
                   "<S x, y> = <x, U y> for every switch pattern, when the pooling windows do "
                   "not overlap (stride >= kernel). With overlapping windows two outputs can "
                   "share a switch, the transpose adds them, unpooling keeps one: refuted.",
         latex=r"\langle S_{\sigma} x, y \rangle = \langle x, U_{\sigma} y \rangle,\quad "
               r"U_{\sigma} = S_{\sigma}^{\mathsf T}",
         parameters=UNPOOL, domain=_unpool_domain,
         domain_text="every valid 1-D max pooling with n<=6, k<=min(n,3), k<=s<=3 "
                     "(each with every switch pattern)")
def max_unpool_adjoint(input_shape, kernel_shape, stride, channels) -> Outcome:
    """``U`` from the oracle's scatter against ``S^T`` for every producible switch pattern."""
    mp = max_pool(input_shape, kernel_shape, stride, channels=channels)
    patterns = switch_patterns(mp)
    spatial = mp.geometry.input_shape
    difference, failing = None, None
    for switches in patterns:
        s_matrix = mp.selection(switches).numeric()
        u_matrix = unpool_matrix(switches, spatial)
        if not np.array_equal(u_matrix, s_matrix.T):
            failing = switches
            break
    shown = patterns[0] if failing is None else failing
    x, y = input_symbols(mp.input_shape, "x"), input_symbols(mp.output_shape, "y")
    selection = mp.selection(shown)
    sx = selection.apply(x)
    uy = numeric.max_unpool(np.array(flat(y), dtype=object).reshape(mp.output_shape), shown,
                            spatial)
    lhs = sympy.Add(*[a * b for a, b in zip(flat(sx), flat(y))])
    rhs = sympy.Add(*[a * b for a, b in zip(flat(x), list(uy.ravel()))])
    if failing is not None:
        found = first_difference(lhs, rhs, ("<Sx,y>", "<x,Uy>"))
        witness_x = np.zeros(int(np.prod(mp.input_shape)), dtype=int)
        size = int(np.prod(spatial))
        for c in range(mp.channels):
            witness_x[c * size + failing[c].ravel()] = 1
        difference = {"switches": failing.tolist(), "x": witness_x.reshape(mp.input_shape)
                      .tolist(), **(found or {})}
    steps = (
        Step("Setting", f"Max pooling on {_size(spatial)} inputs ({channels} channel(s)), "
             f"window {_size(mp.geometry.kernel_shape)}, stride {mp.geometry.stride}; "
             f"{len(patterns)} switch patterns (one position per window, each produced by a "
             "0/1 input).",
             (Math(r"(S_\sigma x)_i = x_{\sigma_i},\qquad (U_\sigma y)_j = y_i\ \text{if } "
                   r"\sigma_i = j,\ \text{else } 0",
                   "(S x)[i] = x[switch[i]];  (U y)[j] = y[i] if switch[i] = j else 0"),)),
        Step("Why", "$S_\\sigma$ has a single 1 per row, at column $\\sigma_i$, so $S_\\sigma^"
             "{\\mathsf T} y$ puts $y_i$ at $\\sigma_i$ and adds the values of outputs that "
             "share a switch; unpooling assigns instead. They agree exactly when the switches "
             "are distinct, which disjoint windows guarantee. For constant matrices the "
             "identity in symbolic $x, y$ holds iff $U_\\sigma = S_\\sigma^{\\mathsf T}$ "
             "entrywise, which is compared exactly for every pattern.",
             (show(r"S_\sigma", selection.matrix),
              Math(r"\sigma = " + str(shown.tolist()), f"switches = {shown.tolist()}"),
              show(r"\langle S_\sigma x, y\rangle", lhs),
              show(r"\langle x, U_\sigma y\rangle", rhs))),
        comparison_step(r"U_\sigma", r"S_\sigma^{\mathsf T}", len(patterns), failing is None,
                        difference),
    )
    return Outcome(failing is None, steps, difference, evidence=("symbolic", "exhaustive"),
                   numeric=failing is None and _unpool_numeric(mp),
                   domain=f"all {len(patterns)} switch patterns")


def _unpool_numeric(mp) -> bool:
    """``S^T S x`` (from the matrix) against the oracle's ``max_unpool(max_pool(x))``."""
    for seed in range(3):
        x = random_integers(mp.input_shape, seed)
        values, indices = numeric.max_pool(x, mp.geometry, return_indices=True)
        s_matrix = mp.selection(mp.switches(x)).numeric()
        want = numeric.max_unpool(values, indices, mp.geometry.input_shape)
        if not np.allclose(s_matrix.T @ (s_matrix @ x.ravel()), want.ravel()):
            return False
    return True


# ---------------------------------------------------------------------------
# Rotation-invariant pooling over a rotated filter bank
# ---------------------------------------------------------------------------

ROTATION_POOL = {"input_shape": (3, 3), "kernel_shape": (3, 3), "padding": 1,
                 "orientations": 4}


def _rotation_pool_domain() -> list[dict[str, Any]]:
    points = []
    for n in range(1, 5):
        for k in range(1, min(n, 3) + 1):
            for p in range(0, k // 2 + 1):
                points.append({**ROTATION_POOL, "input_shape": (n, n), "kernel_shape": (k, k),
                               "padding": p})
    points.sort(key=lambda q: q["input_shape"][0] + q["kernel_shape"][0])
    return points


def bank_responses(g: Geometry, orientations: int, x: Any) -> set:
    """Every response ``C(R^r k) x`` (positions and orientations ``r < orientations``), expanded."""
    c = correlation(g)
    responses = set()
    for r in range(orientations):
        swap = dict(zip(flat(c.kernel), flat(rotate(c.kernel, r))))
        responses |= {sympy.expand(v) for v in flat(c.apply(x).xreplace(swap))}
    return responses


@theorem("rotation-invariant-pooling", family=FAMILY,
         statement="The global max over positions and orientations of the filter bank "
                   "{k, R k, R^2 k, R^3 k} (R a quarter turn) is invariant to rotating the "
                   "input: z(R x) = z(x) (square input, symmetric padding). A bank with fewer "
                   "orientations (orientations < 4) is not, and the claim is refuted.",
         latex=r"z(x) = \max_{r < 4,\ i} \big(C(R^r k)\, x\big)_i,\qquad z(R x) = z(x)",
         parameters=ROTATION_POOL, domain=_rotation_pool_domain,
         domain_text="every square 2-D input with n<=4, kernel k<=min(n,3), symmetric padding "
                     "p<=k//2, four orientations")
def rotation_invariant_pooling(input_shape, kernel_shape, padding, orientations) -> Outcome:
    """The sets of responses to ``x`` and ``R x`` are equal, so their maxima are equal."""
    require(orientations in (1, 2, 3, 4), "orientations", orientations,
            "must count quarter-turn rotations of the kernel", "1, 2, 3, 4", error=TheoremError)
    g = square_geometry(input_shape, kernel_shape, padding)
    x = input_symbols((1, *g.input_shape))
    plain = bank_responses(g, orientations, x)
    rotated = bank_responses(g, orientations, rotate(x, 1))
    holds = plain == rotated
    difference = None if holds else _invariance_counterexample(g, orientations)
    extra = sorted(map(str, rotated - plain))[:1]
    steps = (
        Step("Setting", f"Square correlation, input {_size(g.input_shape)}, kernel "
             f"{_size(g.kernel_shape)}, pads {g.pads}; a bank of {orientations} orientation(s) "
             "$R^r k$ and one max over every position and orientation.",
             (Math(r"z(x) = \max_{0 \le r < " + str(orientations) + r",\ i}\ "
                   r"\big(C(R^r k)\,x\big)_i",
                   f"z(x) = max over r < {orientations} and positions i of (C(R^r k) x)[i]"),)),
        Step("Why", "By the rotation theorem $C(R^r k) R x = R\\,C(R^{r-1} k) x$: rotating the "
             "input permutes the positions (by $R$) and the orientations (by $r \\mapsto r-1$ "
             "mod 4). The max is a symmetric function of its arguments, so equal sets of "
             "responses give equal maxima. With fewer than four orientations the index "
             "$r - 1$ can leave the bank.",
             (Math(f"|\\{{\\text{{responses to }} x\\}}| = {len(plain)},\\ "
                   f"|\\{{\\text{{responses to }} R x\\}}| = {len(rotated)}",
                   f"{len(plain)} responses to x, {len(rotated)} to R x"),)),
        Step("Compare", "The two sets of expanded responses are "
             + ("equal." if holds else f"different; e.g. {extra[0]} answers $R x$ only."),
             (Math(r"\{C(R^r k) R x\}_{r,i} = \{C(R^r k) x\}_{r,i} \Rightarrow z(R x) = z(x)"
                   if holds else r"z(R x) \neq z(x)",
                   "responses to R x = responses to x, so z(R x) = z(x)" if holds else
                   "z(R x) != z(x)"),)),
    )
    return Outcome(holds, steps, difference,
                   numeric=holds and _rotation_pool_numeric(g, orientations))


def _bank_max(x: np.ndarray, w: np.ndarray, g: Geometry, orientations: int) -> float:
    return max(numeric.correlate(x, np.rot90(w, r, axes=(2, 3)), g).max()
               for r in range(orientations))


def _invariance_counterexample(g: Geometry, orientations: int) -> dict[str, Any] | None:
    """The first seeded integer kernel and input whose bank maxima differ."""
    for seed in range(200):
        w = random_integers((1, 1, *g.kernel_shape), 2 * seed)
        x = random_integers((1, *g.input_shape), 2 * seed + 1)
        a = _bank_max(np.rot90(x, 1, axes=(1, 2)), w, g, orientations)
        b = _bank_max(x, w, g, orientations)
        if a != b:
            return {"kernel": w[0, 0].astype(int).tolist(), "x": x[0].astype(int).tolist(),
                    "z(R x)": int(a), "z(x)": int(b)}
    return {"difference": "the response sets differ (no small integer example in 200 tries)"}


def _rotation_pool_numeric(g: Geometry, orientations: int) -> bool:
    for seed in range(3):
        w = random_integers((1, 1, *g.kernel_shape), 2 * seed)
        x = random_integers((1, *g.input_shape), 2 * seed + 1)
        for turns in (1, 2, 3):
            if _bank_max(np.rot90(x, turns, axes=(1, 2)), w, g, orientations) != \
                    _bank_max(x, w, g, orientations):
                return False
    return True


__all__ = ["avg_pool_as_conv", "bank_responses", "max_pool_equivariance", "max_unpool_adjoint",
           "rotation_invariant_pooling", "shifted_rows", "switch_patterns", "unpool_matrix"]
