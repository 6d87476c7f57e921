"""Equivariance theorems: translation (circular, zero padding, strided) and rotation.

- ``equivariance``: circular convolution commutes with every circular shift; with zero
  padding, ``C S_t x`` and ``S_t C x`` agree exactly on the *interior* rows (both the
  row's window and its shifted window lie inside the input) and generally nowhere else.
- ``strided-equivariance``: a stride-``s`` circular correlation turns an input shift by
  ``s u`` into an output shift by ``u``; a shift that is not a multiple of ``s`` is refuted.
- ``rotation``: rotating the input and the kernel by the same quarter turns rotates the
  output, ``C(R k) R = R C(k)``; with the kernel left alone the claim is refuted.
- ``rotation-not-equivariant``: a general kernel is not rotation equivariant (a witness).

Every check builds both sides with symbolic kernel (and input) entries and compares them
exactly; the NumPy oracle of :mod:`symconv.numeric` cross-checks with random integers.

The package, one idea a module (each imports :mod:`.shared`, the package re-exports them):

- :mod:`~symconv.theorems.equivariance.shared`: offsets, quarter turns, circular
  correlation and channel display, the pieces both families use;
- :mod:`~symconv.theorems.equivariance.translation`: ``equivariance`` and
  ``strided-equivariance``;
- :mod:`~symconv.theorems.equivariance.rotation`: ``rotation`` and
  ``rotation-not-equivariant``.
"""

from .rotation import rotation, rotation_not_equivariant, rotation_sides, square_geometry
from .shared import channel_matrix, circular_correlation, flat, offsets, rotate
from .translation import equivariance, interior_rows, strided_equivariance

__all__ = ["channel_matrix", "circular_correlation", "equivariance", "flat", "interior_rows",
           "offsets", "rotate", "rotation", "rotation_not_equivariant", "rotation_sides",
           "square_geometry", "strided_equivariance"]
