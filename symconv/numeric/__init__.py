"""A deliberately naive NumPy oracle for every operator symconv builds.

Nothing here is built from a matrix. Each function zero-pads arrays
explicitly and walks its sliding windows (or scatters its inputs) with plain
``np.ndindex`` loops, in the spirit of JAX's ``lax_reference.py``: slow,
short, and independent of :mod:`symconv.operators`, so the two can check
each other. It is independent of :mod:`symconv.geometry`'s padding
resolution and size formulas too: from a spec it reads only the raw layer
arguments (sizes, stride, ``padding`` as the user gave it, dilation,
``output_padding``, ``ceil_mode``) and finds pads and output sizes itself
(:func:`explicit_pads`, :func:`output_shape`), so a wrong formula there
shows up as a disagreement rather than passing through the oracle.

Every array carries a leading channel axis: inputs are ``(C, *spatial)``,
correlation kernels ``(C_out, C_in/groups, *kernel)`` and transposed kernels
``(C_in, C_out/groups, *kernel)`` (PyTorch layouts). One to three spatial
axes work. Integer, float and object (SymPy) arrays work wherever the
operation makes sense for them.

The package, one idea a module (data flows down the list):

- :mod:`~symconv.numeric.arguments`: every argument checked at the edge, a bad one named.
- :mod:`~symconv.numeric.surgery`: pad, shift, zero insertion, decimation.
- :mod:`~symconv.numeric.sizes`: pads and output sizes, found by sliding and scattering.
- :mod:`~symconv.numeric.convolution`: correlation, convolution, transposed convolution.
- :mod:`~symconv.numeric.pooling`: average, max pooling and max unpooling.
- :mod:`~symconv.numeric.algebraic`: circular and full 1-D convolution.

Examples
--------
>>> import numpy as np
>>> from symconv.geometry import Geometry
>>> x = np.array([[1, 2, 3, 4]])
>>> w = np.array([[[1, 10]]])
>>> correlate(x, w, Geometry((4,), (2,)))
array([[21, 32, 43]])
>>> convolve(x, w, Geometry((4,), (2,)))
array([[12, 23, 34]])
"""

from .algebraic import circular_convolve, full_convolve_1d
from .convolution import conv_transpose, convolve, correlate
from .pooling import avg_pool, max_pool, max_unpool
from .sizes import explicit_pads, output_shape
from .surgery import decimate, pad, shift, zero_insert

__all__ = [
    "avg_pool", "circular_convolve", "conv_transpose", "convolve", "correlate", "decimate",
    "explicit_pads", "full_convolve_1d", "max_pool", "max_unpool", "output_shape", "pad",
    "shift", "zero_insert",
]
