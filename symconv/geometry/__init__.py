"""Integer shape arithmetic: padding resolution, output sizes, validation.

Nothing here is symbolic. User input is canonicalised once into a frozen spec
(:class:`Geometry`, :class:`TransposedGeometry`, :class:`PoolGeometry`); every
other layer of symconv takes only these specs.

The size formulas, one spatial axis, input ``n``, kernel ``k``, stride ``s``,
pads ``(p_b, p_a)`` before and after, dilation ``d``:

=====================  ==================================================
correlation            ``floor((n + p_b + p_a - d(k-1) - 1) / s) + 1``
transposed (PyTorch)   ``(n-1)s - 2p + d(k-1) + output_padding + 1``
transposed (TF/Keras)  any ``o`` whose forward SAME/VALID layer gives ``n``;
                       Keras: SAME ``n*s``, VALID ``(n-1)s + max(k', s)``
                       (``k' = d(k-1)+1``) without output_padding
transposed (JAX)       ``(n-1)s + 2 + a + b - k'`` for transposed pads
                       ``(a, b)``; SAME ``n*s``, VALID ``(n-1)s + max(k', s)``
pooling (PyTorch)      as correlation, ``ceil`` instead of ``floor`` with
                       ``ceil_mode``, minus one if the last window would
                       start inside the right padding
"same" (TensorFlow)    ``out = ceil(n/s)``, total pad
                       ``max((out-1)s + d(k-1) + 1 - n, 0)``, odd pixel after
"full"                 ``d(k-1)`` on both sides: ``n + d(k-1)`` outputs at s=1
=====================  ==================================================

The package, one idea a module, data flowing down the list:

==========================  ===================================================
:mod:`.formulas`            the size formulas on one axis, every framework's
:mod:`.arguments`           user input canonicalised: shapes, per-axis values, pads
:mod:`.spatial`             what every spec shares (axes, Jupyter display)
:mod:`.convolution`         :class:`Geometry`
:mod:`.transposed`          :class:`TransposedGeometry` and its four conventions
:mod:`.pooling`             :class:`PoolGeometry`, :class:`AdaptivePoolGeometry`
==========================  ===================================================

Examples
--------
>>> g = Geometry(input_shape=(5, 5), kernel_shape=(3, 3), stride=2, padding=1)
>>> g.output_shape
(3, 3)
>>> g.pads
((1, 1), (1, 1))
>>> Geometry((13,), (6,), stride=5, padding="same").pads
((1, 2),)
>>> Geometry((13,), (6,), stride=5, padding="valid").output_shape
(2,)
"""

from __future__ import annotations

from .arguments import (
    MAX_AXES,
    PADDING_NAMES,
    Padding,
    check_axes,
    check_fits,
    per_axis,
    resolve_pads,
    spatial_shape,
)
from .convolution import Geometry
from .formulas import (
    TRANSPOSED_CONVENTIONS,
    ceil_div,
    conv_output_size,
    jax_transposed_output_size,
    jax_transposed_pads,
    keras_transposed_output_size,
    pool_output_size,
    same_pads,
    tf_transposed_output_range,
    transposed_output_size,
)
from .pooling import AdaptivePoolGeometry, PoolGeometry
from .spatial import Spatial
from .transposed import TransposedGeometry

__all__ = [
    "AdaptivePoolGeometry", "Geometry", "MAX_AXES", "PADDING_NAMES", "Padding", "PoolGeometry",
    "Spatial", "TRANSPOSED_CONVENTIONS", "TransposedGeometry", "ceil_div", "check_axes",
    "check_fits", "conv_output_size", "jax_transposed_output_size", "jax_transposed_pads",
    "keras_transposed_output_size", "per_axis", "pool_output_size", "resolve_pads",
    "same_pads", "spatial_shape", "tf_transposed_output_range", "transposed_output_size",
]
