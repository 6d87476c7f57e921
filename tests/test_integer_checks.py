"""One integer predicate (symconv.validation.is_integer) at every edge that takes an integer.

Each edge rejects a bool (Python would take ``True`` as 1) and accepts a NumPy integer,
with its own message naming the parameter and the value.
"""

import numpy as np
import pytest

from symconv import numeric, strategies
from symconv.errors import SymconvError
from symconv.formula import check_formula
from symconv.geometry import Geometry
from symconv.operators import correlation
from symconv.render.figures import sparsity_svg
from symconv.theorems import prove

EDGES = {
    "numeric factor": (lambda v: numeric.zero_insert(np.ones((1, 3)), v), "factor"),
    "numeric pads": (lambda v: numeric.pad(np.ones((1, 3)), [(v, 0)]), "pads[0]"),
    "strategy ndim": (lambda v: strategies.geometries(ndim=v), "ndim"),
    "strategy bound": (lambda v: strategies.geometries(ndim=1, max_size=v), "max_size"),
    "formula fixed": (lambda v: check_formula("n - k + 1", fixed={"d": v}), "fixed d"),
    "theorem parameter": (lambda v: prove("strided-equivariance", shift=v, exhaustive=False),
                          "shift"),
    "figure cell": (lambda v: sparsity_svg(correlation(Geometry((3,), (2,))), cell=v),
                    "cell"),
}


@pytest.mark.parametrize("edge", EDGES)
def test_a_bool_is_not_an_integer(edge):
    call, parameter = EDGES[edge]
    with pytest.raises(SymconvError, match=r"True") as info:
        call(True)
    assert parameter in str(info.value)


@pytest.mark.parametrize("edge", EDGES)
def test_a_numpy_integer_is_an_integer(edge):
    call, _ = EDGES[edge]
    call(np.int64(2))
