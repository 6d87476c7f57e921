"""Multi-channel layers at framework scale: kernel symbols stay integer ids until asked for,
the channel-block comparison stays exact, and the oracle stays independent of the builders."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import symconv as sc
from symconv.operators import (
    KernelSymbols,
    correlation,
    indexed_symbols,
    same_kernel_symbols,
    transposed_convolution,
)
from symconv.sparse import BlockMap, coefficient_map, expand_blocks, first_map_difference
from symconv.theorems.structure import compare_index_forms


def test_builders_make_no_sympy_symbols_until_the_kernel_is_read():
    op = correlation(sc.Geometry((6, 6), (3, 3), padding=1), 32, 32)
    grid = op.kernel_source
    assert isinstance(grid, KernelSymbols) and "array" not in grid.__dict__
    assert op.kernel_shape == (32, 32, 3, 3) and op.has_kernel
    assert "array" not in op.T.kernel_source.__dict__
    assert op.kernel == indexed_symbols((32, 32, 3, 3), "k")
    assert op.kernel_flat[5] == sympy.Symbol("k_{0,0,1,2}")


def test_a_framework_scale_proof_builds_no_full_kernel(monkeypatch):
    import symconv.operators.symbols as ops

    built = []
    real = ops.indexed_symbols
    monkeypatch.setattr(ops, "indexed_symbols", lambda shape, name: built.append(
        tuple(shape)) or real(shape, name))
    proof = sc.prove("transpose", input_shape=(9, 9), kernel_shape=(3, 3), padding=1,
                     in_channels=16, out_channels=24, groups=2)
    assert proof.verdict == "proved" and "numeric" in proof.evidence
    assert built == []  # the proof itself builds no SymPy symbol
    proof.text()  # its printed corners are built now, from the one-channel spatial operators
    assert built and all(shape[:2] == (1, 1) for shape in built)
    result = compare_index_forms(sc.Geometry((9, 9), (3, 3), padding=1), 16, 24, 2)
    assert result.holds and result.pairs == 24 * 8


def test_same_kernel_symbols_compares_name_and_layout():
    g = sc.Geometry((5,), (3,))
    assert same_kernel_symbols(correlation(g, 2, 4), correlation(g, 2, 4))
    assert not same_kernel_symbols(correlation(g, 2, 4), correlation(g, 4, 2))
    assert not same_kernel_symbols(correlation(g, kernel_name="k"),
                                   correlation(g, kernel_name="w"))
    t = sc.TransposedGeometry((3,), (3,))
    # a grid against an explicit array of the same symbols: compared symbol by symbol
    explicit = transposed_convolution(t, kernel_name="k")
    from dataclasses import replace
    assert same_kernel_symbols(correlation(g), replace(explicit, kernel=explicit.kernel))


def test_expand_blocks_is_the_entrywise_product():
    rng = np.random.default_rng(1)
    spatial = coefficient_map(rng.integers(0, 3, 20), rng.integers(0, 4, 20),
                              rng.integers(0, 2, 20), (3, 4), rng.integers(-2, 3, 20).tolist())
    channel = coefficient_map(np.array([0, 1, 1]), np.array([1, 0, 1]), np.array([0, 1, 1]),
                              (2, 2), [sympy.Rational(1, 3), 2, 1])
    full = expand_blocks(BlockMap(channel, spatial, 2))
    rows, cols, syms, values = [], [], [], []
    for a in range(len(channel)):
        for b in range(len(spatial)):
            (o, c, blk), (r, s, t) = channel.keys[a], spatial.keys[b]
            rows.append(o * 3 + r)
            cols.append(c * 4 + s)
            syms.append(blk * 2 + t)
            values.append(channel.coefficient(a) * spatial.coefficient(b))
    want = coefficient_map(np.array(rows), np.array(cols), np.array(syms), (6, 8),
                           [sympy.Rational(v.numerator, v.denominator) for v in values])
    assert first_map_difference(full, want) is None


@pytest.mark.parametrize("channels", [(4, 6, 1), (4, 6, 2), (6, 6, 6)])
def test_the_vectorised_oracle_matches_the_operator_with_channels(channels):
    from symconv import numeric

    c_in, c_out, groups = channels
    g = sc.Geometry((7, 6), (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2))
    op = correlation(g, c_in, c_out, groups)
    rng = np.random.default_rng(0)
    x = rng.integers(-3, 4, (c_in, *g.input_shape))
    w = rng.integers(-3, 4, op.kernel_shape)
    np.testing.assert_array_equal(op.numeric(w) @ x.reshape(-1),
                                  numeric.correlate(x, w, g, groups).reshape(-1))


def test_the_block_structure_check_is_exact_in_any_entry_order():
    from dataclasses import replace

    from symconv import operators
    from symconv.theorems.structure import _builder_is_blockwise, _laid_out_blockwise

    g = sc.Geometry((5, 4), (3, 2), stride=(2, 1), padding=1)
    op, spatial = correlation(g, 4, 6, 2), correlation(g)
    blocks = operators.channel_map(4, 6, 2)
    assert _laid_out_blockwise(op, spatial, *blocks)  # the builder's order: no sorting
    order = np.random.default_rng(0).permutation(len(op.rows))
    shuffled = replace(op, rows=op.rows[order], cols=op.cols[order], taps=op.taps[order],
                       kernel=op.kernel_source)
    assert not _laid_out_blockwise(shuffled, spatial, *blocks)
    assert _builder_is_blockwise(shuffled, spatial, (4, 6, 2), False)  # sorted maps agree
    taps = op.taps.copy()
    taps[len(taps) // 2] += 1  # one entry reads the wrong kernel symbol
    for wrong in (replace(op, taps=taps, kernel=op.kernel_source),
                  replace(shuffled, taps=taps[order], kernel=op.kernel_source)):
        assert not _builder_is_blockwise(wrong, spatial, (4, 6, 2), False)


def test_the_command_line_charges_a_blockwise_proof_for_what_it_builds():
    from symconv.cli import _check_layer
    from symconv.errors import SizeLimitError

    wide = {"input_shape": (14, 14), "kernel_shape": (3, 3), "stride": 1, "padding": 1,
            "dilation": 1, "in_channels": 256, "out_channels": 256, "groups": 1}
    _check_layer(wide, blockwise=True)  # blocks only at the 3x3 twin: about 0.1 GB
    with pytest.raises(SizeLimitError, match="SYMCONV_MAX_WORK_BYTES"):
        _check_layer(wide)  # a proof that builds all 65536 blocks at 14x14
    one = {**wide, "input_shape": (1344, 1344), "in_channels": 1, "out_channels": 1}
    _check_layer(one, blockwise=True)  # per-axis factors (measured: 142 MB whole process)
    _check_layer({**one, "input_shape": (4096, 4096)}, blockwise=True)
    with pytest.raises(SizeLimitError, match="SYMCONV_MAX_WORK_BYTES"):
        _check_layer({**one, "input_shape": (10**6, 10**6)}, blockwise=True)


def test_shared_symbol_ids_number_equal_grids_alike_and_other_symbols_apart():
    from dataclasses import replace

    from symconv.theorems.structure import _shared_symbol_ids

    g = sc.Geometry((5, 5), (3, 3), padding=1)
    k = correlation(g)
    a, b = _shared_symbol_ids(k, correlation(g))
    assert a.tolist() == b.tolist() == list(range(9)) and "array" not in k.kernel_source.__dict__
    a, b = _shared_symbol_ids(k, correlation(g, kernel_name="w"))  # other symbols: other ids
    assert len(set(a.tolist()) | set(b.tolist())) == 18
    a, b = _shared_symbol_ids(k, correlation(g, 1, 2))  # another layout: k_{1,...} is new
    assert a.tolist() == b.tolist()[:9] and len(set(b.tolist())) == 18
    a, b = _shared_symbol_ids(k, replace(k, kernel=k.kernel))  # an explicit array of them
    assert a.tolist() == b.tolist()
