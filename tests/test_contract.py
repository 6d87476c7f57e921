"""The public contract of DESIGN.md, as written there."""

import json

import numpy as np
import sympy

import symconv as sc


def test_design_python_contract():
    g = sc.Geometry(input_shape=(5, 5), kernel_shape=(3, 3), stride=2, padding=1, dilation=1)
    assert g.output_shape == (3, 3)
    assert g.pads == ((1, 1), (1, 1))
    op = sc.correlation(g, in_channels=1, out_channels=1, groups=1)
    assert isinstance(op.matrix, sympy.SparseMatrix) and op.matrix.shape == (9, 25)
    assert isinstance(op.kernel, sympy.NDimArray) and op.kernel.shape == (1, 1, 3, 3)
    assert op.numeric(np.ones((1, 1, 3, 3))).shape == (9, 25)
    assert (op.input_shape, op.output_shape) == ((1, 5, 5), (1, 3, 3))
    conv = sc.convolution(g)
    assert conv.matrix == op.matrix.xreplace(
        {op.kernel[0, 0, i, j]: op.kernel[0, 0, 2 - i, 2 - j] for i in range(3) for j in range(3)})
    t = sc.transposed_convolution(input_shape=(3, 3), kernel_shape=(3, 3), stride=2, padding=1,
                                  output_padding=1, dilation=1)
    assert t.output_shape == (1, 6, 6) and t.kernel.shape == (1, 1, 3, 3)
    assert sc.avg_pool((4, 4), (2, 2), ceil_mode=False, count_include_pad=True).output_shape \
        == (1, 2, 2)
    assert sc.max_pool((5, 5), (2, 2), stride=None, padding=0, dilation=1,
                       ceil_mode=True).output_shape == (1, 3, 3)
    p = sc.prove("transpose", input_shape=(4, 4), kernel_shape=(3, 3), stride=2)
    assert p.verdict == "proved" and set(p.evidence) <= {"symbolic", "exhaustive", "numeric",
                                                          "parametric"}
    assert p.counterexample is None
    assert p.latex().strip() and p.markdown().strip()
    assert json.loads(json.dumps(p.to_dict()))["theorem"] == "transpose"
    names = {t["name"] for t in sc.theorems()}
    assert {"transpose", "output-size"} <= names
    assert all({"name", "statement", "parameters"} <= set(t) for t in sc.theorems())
    f = sc.check_formula("floor((n + 2*p - d*(k - 1) - 1)/s) + 1", quantity="output_size")
    assert f.verdict == "proved"
