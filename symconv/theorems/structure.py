"""Structure theorems: transposed convolution = Cᵀ, adjoint, flip.

Each check builds both sides with symbolic kernel (and input) entries at the
given sizes and compares them exactly; a NumPy oracle from
:mod:`symconv.numeric` cross-checks the operators it used.

``transpose`` and ``adjoint`` have two exact comparisons. Up to
:data:`SYMPY_ENTRIES` stored entries they expand SymPy matrices (or the two
inner-product polynomials) entry by entry. Above it they compare the operators'
*coefficient maps* on the index form (:mod:`symconv.sparse`): the same verdict
``sympy.expand`` would give, without building SymPy objects, so a 224x224 layer
takes a fraction of a second. One-channel layers above it are compared on
their per-axis Kronecker factors (:mod:`symconv.kronecker`, :func:`prove_by_factors`):
T_a = C_aᵀ per axis, with the product structure and the lemma (A ⊗ B)ᵀ = Aᵀ ⊗ Bᵀ as
checked steps, so a 1344x1344 layer costs its two 1-D factors. Multi-channel layers
are compared block-wise: one spatial pattern and the channel-to-kernel-block map,
checked for every channel
pair. Either way the derivation says which comparison was used, and the numeric
cross-check runs on a small twin layer (same kernel, stride, padding, dilation,
channels) when the full size is too large for the naive oracle.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from math import prod

import numpy as np
import sympy

from .. import numeric, operators
from ..geometry import Geometry, TransposedGeometry, transposed_output_size
from ..kronecker import compare_factors
from ..operators import LinearOperator, correlation, input_symbols, transposed_convolution
from ..proof import DeferredDisplay, ExactText, Math, Step
from ..sparse import (
    BlockMap,
    coefficient_map,
    equal_unit_maps,
    expand_blocks,
    first_block_difference,
    first_map_difference,
    symbol_ids,
    tap_symbols,
)
from .common import (
    CORRELATION_INDEX,
    LAYER,
    comparison_step,
    entries_count,
    layer_text,
    numeric_agrees,
    show,
    with_proof_for_all_sizes,
)
from .engine import Outcome, first_difference, theorem
from .structure_factors import (
    CORNER,
    FactorProof,
    factor_compare,
    factor_difference,
    factor_steps,
    symbol_name,
)

#: Largest layer (stored entries of C) compared by expanding SymPy objects; larger layers
#: are compared on their coefficient maps (exact, :mod:`symconv.sparse`).
SYMPY_ENTRIES = 1024

#: Smallest one-channel layer (stored entries of C) proved by its per-axis Kronecker factors
#: (:func:`prove_by_factors`); between the two limits the coefficient maps are compared
#: whole, which is cheaper there than the factors' fixed cost (their twin-size checks).
FACTOR_ENTRIES = 40_000


def small_layers(ndim: int = 1, max_n: int = 6, max_k: int = 3, max_s: int = 3,
                 max_p: int = 2, max_d: int = 2):
    """Every valid 1-D layer up to the given bounds, smallest first (the default domain)."""
    points = []
    for n in range(1, max_n + 1):
        for k in range(1, max_k + 1):
            for s in range(1, max_s + 1):
                for p in range(0, max_p + 1):
                    for d in range(1, max_d + 1):
                        if d * (k - 1) + 1 <= n + 2 * p:
                            points.append({**LAYER, "input_shape": (n,) * ndim,
                                           "kernel_shape": (k,) * ndim, "stride": s,
                                           "padding": p, "dilation": d})
    points.sort(key=lambda q: (q["input_shape"][0] + q["kernel_shape"][0] + q["stride"]
                               + q["padding"] + q["dilation"]))
    return points


SMALL_1D = "every valid 1-D layer with n<=6, k<=3, s<=3, p<=2, d<=2, one channel"


def matching_transposed(g: Geometry, padding: int | tuple) -> TransposedGeometry:
    """The ConvTranspose geometry that maps g's output size back to its input size."""
    op = tuple(n - transposed_output_size(o, k, s, p, 0, d) for n, o, k, s, p, d in zip(
        g.input_shape, g.output_shape, g.kernel_shape, g.stride, padding, g.dilation))
    return TransposedGeometry(g.output_shape, g.kernel_shape, g.stride, padding, op, g.dilation)


def _symmetric_padding(g: Geometry) -> tuple[int, ...]:
    from ..errors import GeometryError

    if any(b != a for b, a in g.pads):
        raise GeometryError(f"padding must be symmetric for a PyTorch ConvTranspose, got pads "
                            f"{g.pads} (valid: an int or one int per axis)")
    return tuple(b for b, _ in g.pads)


def _layer(g: Geometry, in_channels: int, out_channels: int, groups: int
           ) -> tuple[TransposedGeometry, LinearOperator, LinearOperator]:
    """The matching transposed geometry and both operators (full channels)."""
    tg = matching_transposed(g, _symmetric_padding(g))
    c = correlation(g, in_channels, out_channels, groups)
    t = transposed_convolution(tg, in_channels=out_channels, out_channels=in_channels,
                               groups=groups, kernel_name="k")
    return tg, c, t


def _oracle_agrees(g: Geometry, tg: TransposedGeometry, c: LinearOperator, t: LinearOperator,
                   groups: int) -> bool:
    """Both operators against the independent NumPy oracle (:mod:`symconv.numeric`)."""
    return (numeric_agrees(c, lambda x, w: numeric.correlate(x, w, g, groups))
            and numeric_agrees(t, lambda x, w: numeric.conv_transpose(x, w, tg, groups)))


def twin_geometry(g: Geometry) -> Geometry:
    """A small layer with g's kernel, stride, pads and dilation, and sizes congruent mod s.

    Each axis keeps ``n`` when it is small, else shrinks to ``n' = b + (n - b) mod s`` with
    ``b`` = (smallest valid size) + 2s, so the twin has at least three windows per axis,
    the same border windows, and the same output_padding of the matching transpose.

    Examples
    --------
    >>> twin_geometry(Geometry((224, 224), (7, 7), stride=2, padding=3)).input_shape
    (6, 6)
    """
    sizes = []
    for n, k, s, d, (before, after) in zip(g.input_shape, g.kernel_shape, g.stride,
                                           g.dilation, g.pads):
        base = max(d * (k - 1) + 1 - before - after, 1) + 2 * s
        sizes.append(n if n <= base + s else base + (n - base) % s)
    return Geometry(tuple(sizes), g.kernel_shape, g.stride, g.pads, g.dilation)


def _corner(op: LinearOperator, size: int = CORNER) -> sympy.SparseMatrix:
    """The top-left ``size x size`` corner of ``op``'s matrix, built from the index form."""
    keep = (op.rows < size) & (op.cols < size)
    flat, entries = op.kernel_flat, {}
    for r, c, t in zip(op.rows[keep].tolist(), op.cols[keep].tolist(), op.taps[keep].tolist()):
        entries[(r, c)] = entries.get((r, c), 0) + (flat[t] if t >= 0 else 1)
    return sympy.SparseMatrix(min(size, op.shape[0]), min(size, op.shape[1]), entries)


@dataclass(frozen=True)
class IndexComparison:
    """What the index-form comparison of T with Cᵀ found (see :func:`compare_index_forms`).

    Attributes
    ----------
    difference : tuple or None
        ``((row, col, symbol), coefficient in T, coefficient in Cᵀ)`` at a differing
        full position (symbol: flat index into the kernel ``k``), or None when equal.
    keys : int
        Spatial coefficient-map keys compared (the whole map for one channel).
    pairs : int
        Channel pairs ``(o, c)`` whose kernel block was compared (1 for one channel).
    factorised : bool or None
        Multi-channel only: whether, at the twin size, the builder's operators equal
        their channel blocks of the spatial pattern.
    twin : Geometry
        The geometry the numeric cross-check ran at.
    agrees : bool
        The numeric cross-check against the independent oracle.
    spatial_c, spatial_t : LinearOperator
        The one-channel correlation and transposed convolution (for displays).
    kernel_shape : tuple of int
        Layout of ``k``: ``(out_channels, in_channels / groups, *kernel)``.
    """

    difference: tuple | None
    keys: int
    pairs: int
    factorised: bool | None
    twin: Geometry
    agrees: bool
    spatial_c: LinearOperator
    spatial_t: LinearOperator
    kernel_shape: tuple[int, ...]

    @property
    def holds(self) -> bool:
        """T = Cᵀ exactly (and, with channels, the block factorisation held at the twin)."""
        return self.difference is None and self.factorised is not False


def _block_map(op: LinearOperator, rows: np.ndarray, cols: np.ndarray, blocks: np.ndarray,
               channel_shape: tuple[int, int]) -> BlockMap:
    """``op`` (one channel, taps = offsets in one spatial kernel) laid into channel blocks."""
    spatial = coefficient_map(op.rows, op.cols, op.taps, op.shape, op.coeffs)
    return BlockMap(coefficient_map(rows, cols, blocks, channel_shape), spatial,
                    int(prod(op.kernel_shape)))


def _laid_out_blockwise(op: LinearOperator, spatial: LinearOperator, rows: np.ndarray,
                        cols: np.ndarray, blocks: np.ndarray) -> bool:
    """Whether ``op``'s index form is, entry for entry in its stored order, block after
    block of ``spatial``'s: entry ``b * S + e`` is spatial entry ``e`` moved to block ``b``.

    Equal index arrays give equal matrices, so True proves the block structure; False
    proves nothing (the entries may merely be stored in another order).
    """
    size = len(spatial.rows)
    if op.coeffs is not None or spatial.coeffs is not None or len(op.rows) != len(rows) * size:
        return False
    (out_size, in_size), k_size = spatial.shape, int(prod(spatial.kernel_shape))
    return all(bool(np.array_equal(built.reshape(len(rows), size) - (offset * scale)[:, None],
                                   np.broadcast_to(pattern, (len(rows), size))))
               for built, offset, scale, pattern in ((op.rows, rows, out_size, spatial.rows),
                                                     (op.cols, cols, in_size, spatial.cols),
                                                     (op.taps, blocks, k_size, spatial.taps)))


def _builder_is_blockwise(op: LinearOperator, spatial: LinearOperator, channels: tuple,
                          transposed: bool) -> bool:
    """Whether a multi-channel operator equals its channel map applied to ``spatial``.

    First entry for entry in stored order (:func:`_laid_out_blockwise`, no sorting), else
    on the sorted coefficient maps.
    """
    rows, cols, blocks = operators.channel_map(*channels, transposed=transposed)
    if _laid_out_blockwise(op, spatial, rows, cols, blocks):
        return True
    shape = (op.output_shape[0], op.input_shape[0])
    blockwise = expand_blocks(_block_map(spatial, rows, cols, blocks, shape))
    built = coefficient_map(op.rows, op.cols, op.taps, op.shape, op.coeffs)
    return first_map_difference(built, blockwise) is None


def _shared_symbol_ids(a: LinearOperator, b: LinearOperator) -> list[np.ndarray]:
    """:func:`symbol_ids` of both kernels; two equal ``KernelSymbols`` grids hold the same
    symbols id for id (:func:`symconv.operators.same_kernel_symbols`): no SymPy symbol."""
    sa, sb = a.kernel_source, b.kernel_source
    if isinstance(sa, operators.KernelSymbols) and sa == sb:  # a dataclass: sb is one too
        ids = np.arange(int(prod(a.kernel_shape)), dtype=np.int64)
        return [ids, ids]
    return symbol_ids(a.kernel_flat, b.kernel_flat)


def compare_index_forms(g: Geometry, in_channels: int = 1, out_channels: int = 1,
                        groups: int = 1, *, transposed: TransposedGeometry | None = None
                        ) -> IndexComparison:
    """Decide T = Cᵀ exactly on coefficient maps, block-wise over channels.

    One channel: the coefficient maps of T and Cᵀ over shared symbol ids are compared
    whole. Several channels: block ``(o, c)`` of C is the spatial pattern with taps
    offset by ``(o * cin_g + c mod cin_g) * K``, block ``(c, o)`` of T the transposed
    layer's pattern with offset ``(o * cin_g + c mod cin_g) * K`` in its layout
    ``(in, out/groups)`` = ``(out_channels, in_channels/groups)``, the same array
    ``k``; :func:`symconv.sparse.first_block_difference` compares the spatial maps
    once and the channel maps for every pair, and the builders' block structure is
    re-checked entry by entry at the twin size. ``transposed`` is
    :func:`matching_transposed` of ``g`` when the caller has it already.

    Examples
    --------
    >>> r = compare_index_forms(Geometry((9, 9), (3, 3), stride=2, padding=1), 2, 4, 2)
    >>> r.holds, r.pairs, r.twin.input_shape
    (True, 4, (5, 5))
    """
    tg = matching_transposed(g, _symmetric_padding(g)) if transposed is None else transposed
    spatial_c = correlation(g)
    spatial_t = transposed_convolution(tg, kernel_name="k")
    twin = twin_geometry(g)
    twin_tg, twin_c, twin_t = _layer(twin, in_channels, out_channels, groups)
    agrees = _oracle_agrees(twin, twin_tg, twin_c, twin_t, groups)
    kernel_shape = (out_channels, in_channels // groups, *g.kernel_shape)
    if (in_channels, out_channels, groups) == (1, 1, 1):
        ids_c, ids_t = _shared_symbol_ids(spatial_c, spatial_t)
        t_form = (spatial_t.rows, spatial_t.cols, tap_symbols(spatial_t.taps, ids_t))
        c_form = (spatial_c.cols, spatial_c.rows, tap_symbols(spatial_c.taps, ids_c))
        if spatial_t.coeffs is None and spatial_c.coeffs is None and (keys := equal_unit_maps(
                t_form, c_form, spatial_t.shape, spatial_c.shape[::-1])) is not None:
            return IndexComparison(None, keys, 1, None, twin, agrees, spatial_c, spatial_t,
                                   kernel_shape)
        lhs = coefficient_map(*t_form, spatial_t.shape, spatial_t.coeffs)
        rhs = coefficient_map(*c_form, spatial_c.T.shape, spatial_c.coeffs)
        return IndexComparison(first_map_difference(lhs, rhs), len(lhs), 1, None, twin,
                               agrees, spatial_c, spatial_t, kernel_shape)
    forward, backward = (in_channels, out_channels, groups), (out_channels, in_channels, groups)
    factorised = (operators.same_kernel_symbols(twin_c, twin_t)
                  and _builder_is_blockwise(twin_c, correlation(twin), forward, False)
                  and _builder_is_blockwise(twin_t, transposed_convolution(twin_tg), backward,
                                            True))
    lhs = _block_map(spatial_t, *operators.channel_map(*backward, transposed=True),
                     (in_channels, out_channels))
    rhs = _block_map(spatial_c, *operators.channel_map(*forward),
                     (out_channels, in_channels)).transposed()
    return IndexComparison(first_block_difference(lhs, rhs), len(lhs.spatial),
                           len(rhs.channel), factorised, twin, agrees, spatial_c, spatial_t,
                           kernel_shape)


def _kernel_symbol(result: IndexComparison, flat: int) -> str:
    if flat < 0:
        return "1"
    if flat >= int(prod(result.kernel_shape)):
        return f"symbol #{flat}"
    return symbol_name("k", tuple(int(v) for v in np.unravel_index(flat, result.kernel_shape)))


def _index_difference(result: IndexComparison, labels: tuple[str, str]) -> dict:
    (row, col, symbol), a, b = result.difference
    k = _kernel_symbol(result, symbol)
    return {"position": (row, col), "symbol": k, labels[0]: f"{a}*{k}",
            labels[1]: f"{b}*{k}"}


def _index_steps(result: IndexComparison, what: str) -> tuple[Step, ...]:
    """The steps that say how the index-form comparison decided ``what``."""
    twin = "x".join(map(str, result.twin.input_shape))
    c, t = result.spatial_c, result.spatial_t
    shown = (f"The top-left ${CORNER}\\times{CORNER}$ corners, built from the index form "
             "(the whole matrices are too large to print):")
    steps = [
        Step("Index form", "Every entry of $C$ and of $T$ is a linear form "
             "$\\sum_e a_e\\,k_{t_e}$ in the kernel symbols with exact coefficients. The "
             "symbols are independent indeterminates, so " + what + " if and only if the "
             "coefficient maps $(\\text{row}, \\text{col}, t) \\mapsto a$ (duplicates summed, "
             "zeros dropped) are equal. They are compared as sorted integer arrays "
             "(symconv.sparse): the verdict SymPy's expansion would give, without SymPy "
             "objects.", (Math(r"T = C^{\mathsf T} \iff \forall (i, j, t):\ "
                               r"[k_t]\,T_{ij} = [k_t]\,C_{ji}",
                               "T = C^T <=> [k_t] T[i,j] = [k_t] C[j,i] for all i, j, t"),)),
        Step("Both matrices", shown, (DeferredDisplay(r"C_{[0:12,\,0:12]}", partial(_corner, c)),
                                      DeferredDisplay(r"T_{[0:12,\,0:12]}",
                                                      partial(_corner, t)))),
    ]
    if result.factorised is not None:
        steps.append(Step(
            "Channel blocks", f"With channels, block $(o, c)$ of $C$ is the spatial pattern "
            "above with its taps offset by $(o\\,c_g + c \\bmod c_g)K$ ($c_g$ input channels "
            "per group, $K$ taps per spatial kernel), and block $(c, o)$ of $T$ is the "
            "transposed pattern with offset $(o\\,c_g + c \\bmod c_g)K$ in its weight layout "
            "(in, out/groups) = (out_channels, in_channels/groups): the same array $k$. "
            "The map $(o, c, b, i, j, t) \\mapsto (oR + i,\\ cS + j,\\ bK + t)$ is "
            "one-to-one, so each coefficient map is the product of a channel map and a "
            "spatial map; equal spatial maps (compared once, "
            f"{result.keys} keys) and equal channel maps (compared for all {result.pairs} "
            "channel pairs) give equal operators, and when they differ every channel pair is "
            "checked exactly, so a reported difference is a real entry. The builders' block "
            f"structure was re-checked entry by entry at the twin size {twin}: "
            + ("it holds." if result.factorised else "it FAILS, so nothing is proved."),
            ()))
    steps.append(Step("Numeric cross-check", f"The independent NumPy oracle "
                      f"(symconv.numeric) was run on the twin layer {twin} with the same "
                      "kernel, stride, padding, dilation and channels (the naive oracle is "
                      "too slow at the full size): "
                      + ("it agrees." if result.agrees else "it DISAGREES."), ()))
    return tuple(steps)


def prove_by_factors(g: Geometry) -> FactorProof:
    """One channel: compare T and Cᵀ on per-axis factors; oracle at the twin size.

    Examples
    --------
    >>> proof = prove_by_factors(Geometry((60, 60), (3, 3), padding=1))
    >>> proof.holds, proof.agrees, proof.twin.input_shape
    (True, True, (3, 3))
    """
    tg = matching_transposed(g, _symmetric_padding(g))
    twin = twin_geometry(g)
    twin_tg, twin_c, twin_t = _layer(twin, 1, 1, 1)
    result = compare_factors(g, tg, twin, twin_tg, (twin_c, twin_t))
    return FactorProof(result, twin, _oracle_agrees(twin, twin_tg, twin_c, twin_t, 1))


def _entries(g: Geometry, in_channels: int, out_channels: int, groups: int) -> int:
    """The stored entries of C (index-form entries), counted per axis without building C."""
    per_axis = [len(operators.window_triples(o, k, n, s, pb, d)) for o, k, n, s, d, (pb, _)
                in zip(g.output_shape, g.kernel_shape, g.input_shape, g.stride, g.dilation,
                       g.pads)]
    return int(prod(per_axis)) * out_channels * (in_channels // groups)


def _large(g: Geometry, in_channels: int, out_channels: int, groups: int,
           limit: int | None = None) -> bool:
    """Whether C has more than ``limit`` (default :data:`SYMPY_ENTRIES`) stored entries
    (estimated cheaply)."""
    limit = SYMPY_ENTRIES if limit is None else limit
    return _entries(g, in_channels, out_channels, groups) > limit


def _setting(g: Geometry, tg: TransposedGeometry, in_channels: int, out_channels: int,
             groups: int) -> Step:
    return Step("Setting", f"Forward layer: {layer_text(g)}; channels {in_channels} -> "
                f"{out_channels}, groups {groups}. The transposed layer maps the output size "
                f"back with output_padding {tg.output_padding}.", (CORRELATION_INDEX,))


SCATTER = Step("Scatter rule", "The transposed convolution is defined on its own: input "
               "position $i$ (a window of $C$) with tap $m$ adds $k_m\\,y_i$ to output "
               "position $j = s\\,i - p + d\\,m$.",
               (Math(r"T_{s i - p + d m,\; i} \mathrel{+}= k_m", "T[s*i - p + d*m, i] += k[m]"),))


def with_index_proof(outcome: Outcome, name: str, applies: bool = True) -> Outcome:
    """Append the index-set proof for all sizes of theorem ``name``
    (:mod:`symconv.index_sets`) to a holding outcome."""
    from ..index_sets import theorem_steps

    return with_proof_for_all_sizes(outcome, lambda: theorem_steps(name), applies)


@theorem("transpose", family="structure",
         statement="The transposed convolution defined by its scatter rule equals C^T, "
                   "the transpose of the correlation matrix with the same kernel.",
         latex=r"\operatorname{conv\_transpose}(y; k) = C(k)^{\mathsf T} y",
         parameters=LAYER, domain=small_layers, domain_text=SMALL_1D)
def transpose(input_shape, kernel_shape, stride, padding, dilation, in_channels,
              out_channels, groups) -> Outcome:
    """``transposed_convolution`` (scatter rule, output_padding chosen to invert) = Cᵀ.

    Small layers: SymPy matrices compared entry by entry. Layers with more than
    :data:`SYMPY_ENTRIES` entries: exact coefficient maps (:func:`compare_index_forms`).
    """
    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    tg = matching_transposed(g, _symmetric_padding(g))
    setting = _setting(g, tg, in_channels, out_channels, groups)
    entries = _entries(g, in_channels, out_channels, groups)
    if (in_channels, out_channels, groups) == (1, 1, 1) and entries > FACTOR_ENTRIES:
        proof = prove_by_factors(g)
        difference = None if proof.holds else factor_difference(proof, g)
        steps = (setting, SCATTER, *factor_steps(proof, g, "$T = C^{\\mathsf T}$"),
                 factor_compare(proof, Math(r"T - C^{\mathsf T} = 0", "T - C^T = 0")))
        return with_index_proof(Outcome(proof.holds, steps, difference, numeric=proof.agrees),
                                "transpose")
    if entries > SYMPY_ENTRIES:
        result = compare_index_forms(g, in_channels, out_channels, groups, transposed=tg)
        difference = None if result.holds else (
            _index_difference(result, ("T", "C^T")) if result.difference else
            {"channel blocks": "the builder's operator is not its channel blocks"})
        compare = (Step("Compare", f"The coefficient maps of $T$ and $C^{{\\mathsf T}}$ are "
                        f"equal ({result.keys} spatial keys, {result.pairs} channel pairs): "
                        "every entry of $T - C^{\\mathsf T}$ is the zero polynomial.",
                        (Math(r"T - C^{\mathsf T} = 0", "T - C^T = 0"),))
                   if result.holds else comparison_step("T", "C^{\\mathsf T}", 0, False,
                                                        difference))
        steps = (setting, SCATTER, *_index_steps(result, "$T = C^{\\mathsf T}$"), compare)
        return with_index_proof(Outcome(result.holds, steps, difference, numeric=result.agrees),
                                "transpose")
    tg, c, t = _layer(g, in_channels, out_channels, groups)
    lhs, rhs = t.matrix, c.matrix.T
    difference = first_difference(lhs, rhs, ("T", "C^T"))
    steps = (
        setting, SCATTER,
        Step("Both matrices", "", (show("C", c.matrix), show("T", lhs),)),
        comparison_step("T", "C^{\\mathsf T}", entries_count(lhs), difference is None,
                        difference),
    )
    return with_index_proof(Outcome(difference is None, steps, difference,
                                    numeric=_oracle_agrees(g, tg, c, t, groups)), "transpose")


@theorem("adjoint", family="structure",
         statement="<C x, y> = <x, C^T y> for all inputs x and outputs y: the transposed "
                   "convolution is the adjoint of the convolution.",
         latex=r"\langle C x, y \rangle = \langle x, C^{\mathsf T} y \rangle",
         parameters=LAYER, domain=small_layers, domain_text=SMALL_1D)
def adjoint(input_shape, kernel_shape, stride, padding, dilation, in_channels, out_channels,
            groups) -> Outcome:
    """Both inner products as polynomials in k, x, y; their difference expands to 0.

    Large layers: the trilinear polynomial's coefficient map, compared exactly on the
    index form (:func:`compare_index_forms`).
    """
    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    tg = matching_transposed(g, _symmetric_padding(g))
    inner = Step("Inner products", "", (Math(r"\langle C x, y\rangle = \sum_i y_i \sum_j "
                                             r"C_{ij} x_j", "<Cx, y> = sum_i y_i sum_j "
                                             "C[i,j] x_j"),))
    if (in_channels, out_channels, groups) == (1, 1, 1) and _large(
            g, 1, 1, 1, FACTOR_ENTRIES):
        return _adjoint_by_factors(g, inner)
    if _large(g, in_channels, out_channels, groups):
        result = compare_index_forms(g, in_channels, out_channels, groups, transposed=tg)
        difference = None
        if not result.holds and result.difference:
            (j, i, symbol), a, b = result.difference
            x = symbol_name("x", np.unravel_index(j, (in_channels, *g.input_shape)))
            y = symbol_name("y", np.unravel_index(i, (out_channels, *g.output_shape)))
            k = _kernel_symbol(result, symbol)
            monomial = sympy.Mul(*(sympy.Symbol(str(n)) for n in (k, x, y)), evaluate=False)
            difference = {"monomial": ExactText(monomial, f"{k}*{x}*{y}"),
                          "<Cx,y>": ExactText(b), "<x,T y>": ExactText(a)}
        elif not result.holds:
            difference = {"channel blocks": "the builder's operator is not its channel blocks"}
        steps = (
            Step("Setting", f"Layer: {layer_text(g)}; channels {in_channels} -> "
                 f"{out_channels}, groups {groups}; T is the scatter-defined transposed "
                 "convolution (not built from C).", ()),
            inner,
            Step("Trilinear coefficients", "$\\langle Cx, y\\rangle - \\langle x, Ty\\rangle "
                 "= \\sum_{i,j,t} ([k_t]C_{ij} - [k_t]T_{ji})\\,k_t\\,x_j\\,y_i$, and the "
                 "monomials $k_t x_j y_i$ are distinct for distinct $(i, j, t)$: the "
                 "polynomial expands to 0 if and only if the coefficient maps of $C^{\\mathsf "
                 "T}$ and $T$ are equal.", ()),
            *_index_steps(result, "the two inner products are equal"),
            Step("Compare", "The coefficient maps are equal: $\\langle Cx, y\\rangle - "
                 "\\langle x, Ty\\rangle$ is the zero polynomial." if result.holds else
                 "The coefficient maps differ: "
                 + ", ".join(f"{key} = {value}" for key, value in difference.items()) + ".",
                 (Math(r"\langle Cx, y\rangle - \langle x, Ty\rangle = 0",
                       "<Cx,y> - <x,Ty> = 0"),) if result.holds else ()),
        )
        return with_index_proof(Outcome(result.holds, steps, difference,
                                        numeric=result.agrees), "adjoint")
    tg, c, t = _layer(g, in_channels, out_channels, groups)
    x, y = input_symbols(c.input_shape, "x"), input_symbols(c.output_shape, "y")
    cx, ty = c.apply(x), t.apply(y)
    lhs = sympy.Add(*[a * b for a, b in zip(_flat(cx), _flat(y))])
    rhs = sympy.Add(*[a * b for a, b in zip(_flat(x), _flat(ty))])
    difference = first_difference(lhs, rhs, ("<Cx,y>", "<x,T y>"))
    terms = len(sympy.expand(lhs).args) if lhs != 0 else 0
    steps = (
        Step("Setting", f"Layer: {layer_text(g)}; T is the scatter-defined transposed "
             "convolution (not built from C).", ()),
        Step("Inner products", f"Both sides expand to polynomials with {terms} terms "
             "$k\\,x\\,y$.", inner.math),
        comparison_step(r"\langle Cx, y\rangle", r"\langle x, T y\rangle", 1,
                        difference is None, difference),
    )
    return with_index_proof(Outcome(difference is None, steps, difference,
                                    numeric=_oracle_agrees(g, tg, c, t, groups)), "adjoint")


def _adjoint_by_factors(g: Geometry, inner: Step) -> Outcome:
    """The adjoint identity of a large one-channel layer, by the per-axis factors."""
    proof = prove_by_factors(g)
    difference = None
    if not proof.holds:
        difference = factor_difference(proof, g)
        if "position" in difference:
            (j, i), k = difference["position"], difference["symbol"]  # T's (row, col)
            x = symbol_name("x", (0, *np.unravel_index(j, g.input_shape)))
            y = symbol_name("y", (0, *np.unravel_index(i, g.output_shape)))
            difference = {"monomial": f"{k}*{x}*{y}", "<Cx,y>": difference["C^T"],
                          "<x,T y>": difference["T"], "factor": difference["factor"]}
    steps = (
        Step("Setting", f"Layer: {layer_text(g)}; channels 1 -> 1, groups 1; T is the "
             "scatter-defined transposed convolution (not built from C).", ()),
        inner,
        Step("Trilinear coefficients", "$\\langle Cx, y\\rangle - \\langle x, Ty\\rangle "
             "= \\sum_{i,j,m} ([k_m]C_{ij} - [k_m]T_{ji})\\,k_m\\,x_j\\,y_i$, and the "
             "monomials $k_m x_j y_i$ are distinct for distinct $(i, j, m)$: the "
             "polynomial expands to 0 if and only if $T = C^{\\mathsf T}$ as coefficient "
             "maps.", ()),
        *factor_steps(proof, g, "the two inner products are equal"),
        factor_compare(proof, Math(r"\langle Cx, y\rangle - \langle x, Ty\rangle = 0",
                                    "<Cx,y> - <x,Ty> = 0")),
    )
    return with_index_proof(Outcome(proof.holds, steps, difference, numeric=proof.agrees),
                            "adjoint")


def _flat(a: sympy.NDimArray) -> list:
    return list(sympy.flatten(a.tolist()))


@theorem("flip", family="structure",
         statement="Convolution equals correlation with the kernel flipped on every axis, "
                   "and correlation equals convolution with the flipped kernel.",
         latex=r"k \ast x = \operatorname{flip}(k) \star x,\quad "
               r"k \star x = \operatorname{flip}(k) \ast x",
         parameters=LAYER, domain=small_layers, domain_text=SMALL_1D)
def flip(input_shape, kernel_shape, stride, padding, dilation, in_channels, out_channels,
         groups) -> Outcome:
    """Defined by its claim text: both identities checked by :func:`symconv.check`."""
    from ..claim.theorem import claim_outcome, layer_keywords, layer_signals  # the claim
    # checker (its grammar, evaluator and search) is imported by the theorem that uses it

    g = Geometry(input_shape, kernel_shape, stride, padding, dilation)
    layer = layer_keywords(g)
    claims = [f"conv(x, k, {layer}) == corr(x, flip(k), {layer})",
              f"corr(x, k, {layer}) == conv(x, flip(k), {layer})"]
    return claim_outcome(claims, **layer_signals(g.input_shape, g.kernel_shape, in_channels,
                                                 out_channels, groups))


__all__ = ["FactorProof", "IndexComparison", "adjoint", "compare_index_forms", "flip",
           "matching_transposed", "prove_by_factors", "small_layers", "transpose",
           "twin_geometry", "with_index_proof"]
