"""Size limits of symbolic work, checked before anything is built.

Building a SymPy matrix costs about :data:`BYTES_PER_ENTRY` bytes and
:data:`SECONDS_PER_ENTRY` seconds per stored entry (measured on a 48x48 stride-2
correlation: ~100 bytes kept, ~260 bytes peak, ~30 microseconds per entry), so a
224x224 layer's ``.matrix`` would take tens of megabytes and seconds, and ResNet's
first layer (118 million entries) tens of gigabytes. Symbolic work beyond
:func:`max_symbolic_entries` entries is refused up front with a
:class:`~symconv.errors.SizeLimitError` that says how to raise the limit; the
proofs at such sizes use the exact index-form comparison of :mod:`symconv.sparse`.

Examples
--------
>>> require_symbolic_size(10, "C.matrix")
>>> try:
...     require_symbolic_size(10**9, "C.matrix")
... except SizeLimitError as error:
...     print(str(error)[:77])
C.matrix would build 1000000000 symbolic entries (about 260.0 GB and 8.3 h),
"""

from __future__ import annotations

import os
from math import prod
from typing import Any

from .errors import SizeLimitError

#: Default largest number of stored entries turned into SymPy objects at once.
MAX_SYMBOLIC_ENTRIES = 100_000
#: The environment variable that overrides :data:`MAX_SYMBOLIC_ENTRIES`.
ENV_VAR = "SYMCONV_MAX_SYMBOLIC_ENTRIES"
#: Peak bytes per entry while a SymPy SparseMatrix is built (measured, rounded up).
BYTES_PER_ENTRY = 260
#: Seconds per entry to build a SymPy SparseMatrix (measured).
SECONDS_PER_ENTRY = 30e-6


#: Largest size, stride, padding or dilation an index form holds (its products stay in int64).
MAX_INDEX = 2**40
#: Default largest estimated peak memory (bytes) of one operator, figure or oracle call.
MAX_WORK_BYTES = 2_000_000_000
#: The environment variable that overrides :data:`MAX_WORK_BYTES`.
WORK_ENV_VAR = "SYMCONV_MAX_WORK_BYTES"
#: Peak bytes per index-form entry (rows, cols, taps and their temporaries; measured on a
#: 256x256, 4-to-8-channel correlation: 49 bytes peak).
BYTES_PER_INDEX_ENTRY = 50
#: Peak bytes per kernel symbol (a SymPy Symbol and its name; measured: 295 bytes).
BYTES_PER_SYMBOL = 300
#: Seconds per kernel symbol (measured: 44 microseconds).
SECONDS_PER_SYMBOL = 45e-6
#: Bytes per float64 array element in the numeric oracle and in dense numeric matrices.
BYTES_PER_FLOAT = 8
#: Peak bytes per drawn figure cell (measured: 497 for the sparsity SVG of a 60x60 layer,
#: 394 for the sliding window of a 300x300 one).
BYTES_PER_CELL = 500


def _positive_env(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise SizeLimitError(f"{name} must be a positive integer, got {text!r}") from None
    if value < 1:
        raise SizeLimitError(f"{name} must be a positive integer, got {text!r}")
    return value


def max_symbolic_entries() -> int:
    """The limit in force: ``$SYMCONV_MAX_SYMBOLIC_ENTRIES`` if set, else the module default.

    Examples
    --------
    >>> max_symbolic_entries() >= 1
    True
    """
    return _positive_env(ENV_VAR, MAX_SYMBOLIC_ENTRIES)


def max_work_bytes() -> int:
    """The limit in force: ``$SYMCONV_MAX_WORK_BYTES`` if set, else :data:`MAX_WORK_BYTES`.

    Examples
    --------
    >>> max_work_bytes() >= 1
    True
    """
    return _positive_env(WORK_ENV_VAR, MAX_WORK_BYTES)


def work_bytes(index_entries: int = 0, symbols: int = 0, floats: int = 0, cells: int = 0) -> int:
    """Estimated peak bytes of building that many index entries, symbols, floats, cells.

    Examples
    --------
    >>> work_bytes(index_entries=10**6, symbols=1000, cells=10)
    50305000
    """
    return (index_entries * BYTES_PER_INDEX_ENTRY + symbols * BYTES_PER_SYMBOL
            + floats * BYTES_PER_FLOAT + cells * BYTES_PER_CELL)


def require_index_range(what: str, **values: tuple[int, ...]) -> None:
    """Refuse sizes, strides, pads or dilations beyond :data:`MAX_INDEX` before NumPy sees them.

    Examples
    --------
    >>> require_index_range("correlation", stride=(2, 10**20))
    Traceback (most recent call last):
        ...
    symconv.errors.SizeLimitError: correlation stride[1] must be at most 2**40, got \
100000000000000000000 (the index form holds int64 positions)
    """
    for name, axes in values.items():
        for axis, value in enumerate(axes):
            if value > MAX_INDEX:
                raise SizeLimitError(f"{what} {name}[{axis}] must be at most 2**40, got {value} "
                                     "(the index form holds int64 positions)")


def oracle_floats(in_channels: int, out_channels: int, geometry: Any) -> int:
    """Float64 values the numeric oracle allocates for a layer: padded input plus output.

    An estimate from the spec's sizes (its ``padded_shape`` when it has one), made
    before the oracle pads anything.

    Examples
    --------
    >>> from symconv.geometry import Geometry
    >>> oracle_floats(2, 3, Geometry((5,), (3,), padding=1))
    29
    """
    padded = getattr(geometry, "padded_shape", geometry.input_shape)
    return in_channels * prod(padded) + out_channels * prod(geometry.output_shape)


#: Index-form entries a Kronecker-factor proof holds per entry of one axis' factor: both
#: sides, the builders' per-axis triples, their coefficient maps, the transposed and
#: aligned copies and sort temporaries (an upper bound).
FACTOR_COPIES = 16
#: Index-form entries per twin-size entry of the factor proof: both operators, their maps,
#: the expanded products and their transposes.
TWIN_COPIES = 12


def factor_proof_work(input_shape: tuple[int, ...], kernel_shape: tuple[int, ...],
                      output_shape: tuple[int, ...], twin_shape: tuple[int, ...]
                      ) -> dict[str, int]:
    """What a one-channel Kronecker-factor proof allocates, as :func:`require_work` counts.

    Per axis, a factor has at most ``max(n, out) * k`` entries; the twin layer's operators
    at most ``prod(twin) * K``; the entry counts hold one boolean per output (or input)
    position, charged as a float (8 bytes: an upper bound with temporaries).

    Examples
    --------
    >>> factor_proof_work((1344, 1344), (3, 3), (1344, 1344), (5, 5))
    {'index_entries': 131724, 'floats': 1806336}
    """
    per_axis = sum(max(n, o) * k for n, o, k in zip(input_shape, output_shape, kernel_shape))
    twin = prod(twin_shape) * prod(kernel_shape)
    return {"index_entries": FACTOR_COPIES * per_axis + TWIN_COPIES * twin,
            "floats": max(prod(input_shape), prod(output_shape))}


def _bytes(size: int) -> str:
    return f"{size / 1e9:.1f} GB" if size >= 1e9 else f"{size / 1e6:.1f} MB"


def require_work(what: str, index_entries: int = 0, symbols: int = 0, floats: int = 0,
                 cells: int = 0) -> None:
    """Refuse work whose estimated peak memory exceeds :func:`max_work_bytes`, before it starts.

    Parameters
    ----------
    what : str
        What was asked for, for the message (``"correlation"``, ``"figure sparsity"``).
    index_entries, symbols, floats, cells : int
        Index-form entries, kernel symbols, float64 elements and drawn figure cells the
        work would allocate (upper bounds, computed from the sizes alone).

    Raises
    ------
    SizeLimitError
        With the estimate, the limit's value and the environment variable that raises it.

    Examples
    --------
    >>> require_work("correlation", index_entries=1000)
    >>> try:
    ...     require_work("correlation", index_entries=10**12, symbols=10**12)
    ... except SizeLimitError as error:
    ...     print(str(error).split("), ")[1][:63])
    more than the limit SYMCONV_MAX_WORK_BYTES = 2000000000 bytes;
    """
    size, limit = work_bytes(index_entries, symbols, floats, cells), max_work_bytes()
    if size <= limit:
        return
    counts = [f"{n} {label}" for n, label in ((index_entries, "index entries"),
                                              (symbols, "kernel symbols"),
                                              (floats, "float values"), (cells, "figure cells"))
              if n]
    raise SizeLimitError(
        f"{what} would need about {_bytes(size)} ({', '.join(counts)}), more than the limit "
        f"{WORK_ENV_VAR} = {limit} bytes; raise it with the environment variable "
        f"{WORK_ENV_VAR} or use smaller sizes")


def _human(entries: int) -> str:
    size, seconds = entries * BYTES_PER_ENTRY, entries * SECONDS_PER_ENTRY
    memory = _bytes(size)
    duration = (f"{seconds / 3600:.1f} h" if seconds >= 3600 else
                f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.1f} s")
    return f"about {memory} and {duration}"


def require_symbolic_size(entries: int, what: str) -> None:
    """Raise :class:`~symconv.errors.SizeLimitError` if ``entries`` exceed the limit.

    Parameters
    ----------
    entries : int
        Stored entries the symbolic object would have.
    what : str
        What was asked for, for the message (``"correlation.matrix (9x25)"``).
    """
    limit = max_symbolic_entries()
    if entries > limit:
        raise SizeLimitError(
            f"{what} would build {entries} symbolic entries ({_human(entries)}), more than the "
            f"limit of {limit}; raise it with the environment variable {ENV_VAR}={entries} or "
            "symconv.limits.MAX_SYMBOLIC_ENTRIES, or use an index-form proof (symconv.sparse)")
