"""The size formulas, on one axis: output sizes and pads of each framework's layers."""

from __future__ import annotations


def conv_output_size(n: int, k: int, s: int = 1, pad_before: int = 0, pad_after: int = 0,
                     d: int = 1) -> int:
    """Number of windows of a (dilated, strided) correlation along one axis.

    Examples
    --------
    >>> conv_output_size(6, 3, s=2)
    2
    >>> conv_output_size(5, 3, s=2, pad_before=1, pad_after=1)
    3
    """
    return (n + pad_before + pad_after - d * (k - 1) - 1) // s + 1


def same_pads(n: int, k: int, s: int = 1, d: int = 1, lower: bool = False) -> tuple[int, int]:
    """TensorFlow's SAME padding ``(before, after)``; ``lower=True`` is ONNX SAME_LOWER.

    Examples
    --------
    >>> same_pads(13, 6, s=5)
    (1, 2)
    >>> same_pads(13, 6, s=5, lower=True)
    (2, 1)
    >>> same_pads(4, 3, s=2)
    (0, 1)
    """
    out = -(-n // s)
    total = max((out - 1) * s + d * (k - 1) + 1 - n, 0)
    small, large = total // 2, total - total // 2
    return (large, small) if lower else (small, large)


def transposed_output_size(n: int, k: int, s: int = 1, p: int = 0, output_padding: int = 0,
                           d: int = 1) -> int:
    """PyTorch ``ConvTranspose`` output size along one axis.

    Examples
    --------
    >>> transposed_output_size(3, 3, s=2, p=1, output_padding=1)
    6
    """
    return (n - 1) * s - 2 * p + d * (k - 1) + output_padding + 1


#: Who defines a transposed convolution's padding and output size.
TRANSPOSED_CONVENTIONS = ("torch", "tensorflow", "keras", "jax")


def tf_transposed_output_range(n: int, k: int, s: int = 1, d: int = 1,
                               padding: str | tuple[int, int] = "valid") -> tuple[int, int]:
    """Output sizes ``(smallest, largest)`` TensorFlow's ``conv_transpose`` accepts.

    TensorFlow defines the transposed layer as the gradient of the forward
    correlation on the output size ``o``, so ``o`` must be a size whose forward
    layer (``padding`` "same", "valid" or explicit ``(before, after)``) has ``n``
    outputs.

    Examples
    --------
    >>> tf_transposed_output_range(3, 3, s=2, padding="same")
    (5, 6)
    >>> tf_transposed_output_range(3, 3, s=2, padding="valid")
    (7, 8)
    >>> tf_transposed_output_range(3, 3, s=2, padding=(1, 1))
    (5, 6)
    """
    span = d * (k - 1) + 1
    if padding == "same":
        return ((n - 1) * s + 1, n * s)
    extra = 0 if padding == "valid" else padding[0] + padding[1]
    return ((n - 1) * s + span - extra, (n - 1) * s + span + s - 1 - extra)


def keras_transposed_output_size(n: int, k: int, s: int = 1, d: int = 1,
                                 padding: str = "valid",
                                 output_padding: int | None = None) -> int:
    """Keras 3 ``ConvTranspose`` output size (``_get_output_shape_given_tf_padding``).

    ``output_padding=None``: SAME gives ``n*s``, VALID ``(n-1)s + max(k', s)``;
    an integer ``op``: SAME ``(n-1)s + k' mod 2 + op``, VALID ``(n-1)s + k' + op``,
    with ``k' = d(k-1) + 1``.

    Examples
    --------
    >>> keras_transposed_output_size(3, 3, s=2, padding="same")
    6
    >>> keras_transposed_output_size(3, 3, s=2, padding="same", output_padding=0)
    5
    >>> keras_transposed_output_size(3, 1, s=2, padding="valid")
    6
    """
    span = d * (k - 1) + 1
    if padding == "valid":
        extra = max(span, s) - span if output_padding is None else output_padding
        return (n - 1) * s + span + extra
    if output_padding is None:
        return n * s
    return (n - 1) * s + span % 2 + output_padding


def jax_transposed_pads(k: int, s: int = 1, d: int = 1,
                        padding: str | tuple[int, int] = "valid") -> tuple[int, int]:
    """Pads of the zero-inserted input in ``jax.lax.conv_transpose`` (``_conv_transpose_padding``).

    "same" and "valid" name the forward layer's padding; a ``(before, after)``
    pair is the transposed padding itself (JAX's default,
    ``use_consistent_padding=False``), returned unchanged.

    Examples
    --------
    >>> jax_transposed_pads(3, s=2, padding="same"), jax_transposed_pads(3, s=2)
    ((2, 1), (2, 2))
    >>> jax_transposed_pads(2, s=3, padding="same")
    (1, 2)
    """
    span = d * (k - 1) + 1
    if padding == "same":
        total = span + s - 2
        before = span - 1 if s > span - 1 else -(-total // 2)
        return (before, total - before)
    if padding == "valid":
        return (span - 1, span + s - 2 + max(span - s, 0) - (span - 1))
    return tuple(padding)


def jax_transposed_output_size(n: int, k: int, s: int = 1, d: int = 1,
                               padding: str | tuple[int, int] = "valid") -> int:
    """``jax.lax.conv_transpose`` output size: ``(n-1)s + 2 + a + b - k'``.

    Examples
    --------
    >>> [jax_transposed_output_size(3, 3, s=2, padding=p) for p in ("same", "valid")]
    [6, 7]
    """
    before, after = jax_transposed_pads(k, s, d, padding)
    return (n - 1) * s + 2 + before + after - (d * (k - 1) + 1)


def pool_output_size(n: int, k: int, s: int, pad_before: int = 0, pad_after: int = 0,
                     d: int = 1, ceil_mode: bool = False) -> int:
    """PyTorch pooling output size, including the ceil_mode rule.

    With ``ceil_mode`` a last window that would start inside the right padding
    (at or past ``n + pad_before``) is dropped.

    Examples
    --------
    >>> pool_output_size(5, 2, 2)
    2
    >>> pool_output_size(5, 2, 2, ceil_mode=True)
    3
    >>> pool_output_size(4, 2, 2, pad_before=1, pad_after=1, ceil_mode=True)
    3
    """
    span = n + pad_before + pad_after - d * (k - 1) - 1
    out = (span + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= n + pad_before:
        out -= 1
    return out


def ceil_div(a: int, b: int) -> int:
    """``ceil(a / b)`` for integers, exactly.

    Examples
    --------
    >>> ceil_div(13, 5), ceil_div(-3, 2)
    (3, -1)
    """
    return -(-a // b)
