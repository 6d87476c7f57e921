"""Convolution versus correlation: which one CNNs compute, and which algebra each has.

Claims from the notes (seeds), checked here:

- seed 000 (Deep Learning book notes): 「我们平时说的卷积,实际上用的是下面这个公式……这个操作对应的
  正是互相关函数的公式」 -- what CNNs call convolution is cross-correlation; true convolution
  flips the kernel (theorem ``flip``).
- seed 004: 「是B喲,而不是flipped B……在signal processing之類的,會進行flipping operation是因為需要
  保持associativity的property (A*B)*C=A*(B*C),而在CNN中不需要這個所以就不需要flipping啦」 --
  convolution (with the flip) is associative and commutative; correlation (no flip) is
  neither (theorems ``associativity``, ``commutativity``, ``correlation-not-associative``,
  ``correlation-not-commutative``).
- seed 003: 「卷积的长度=长火车的车厢数+短火车的车厢数-1」 -- the full convolution of lengths n and
  k has n + k - 1 entries: the coefficients of the product of two polynomials of degrees
  n - 1 and k - 1 (theorem ``polynomial-product``).

Run: ``python derivations/convolution_vs_correlation.py``; exits 1 if any verdict differs
from the expected one.
"""

import sys

from symconv.claims import check_claims

CHECKS = [
    ("flip", {"input_shape": (4,), "kernel_shape": (3,)}, "proved"),
    ("flip", {"input_shape": (4, 4), "kernel_shape": (3, 3), "stride": 2, "padding": 1}, "proved"),
    ("commutativity", {}, "proved"),
    ("associativity", {}, "proved"),
    ("correlation-not-commutative", {}, "proved"),
    ("correlation-not-associative", {}, "proved"),
    ("polynomial-product", {}, "proved"),
    ("polynomial-product", {"a_shape": (7,), "b_shape": (3,)}, "proved"),
    ("notes-echo-example", {}, "proved"),
    ("notes-echo-example", {"expected": "2.2"}, "refuted"),  # 2.2 is the unflipped value
]


def main() -> int:
    failures = len(check_claims(CHECKS))
    # The notes' length rule: full convolution of lengths 7 and 3 has 7 + 3 - 1 = 9 entries.
    from symconv.theorems.algebra import full_convolve, signal

    length = len(full_convolve(signal((7,), "a"), signal((3,), "b")))
    print(f"Full convolution of lengths 7 and 3 has {length} entries (notes: 7 + 3 - 1 = 9).")
    failures += length != 9
    print("all claims checked:", "ok" if not failures else f"{failures} unexpected verdict(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
