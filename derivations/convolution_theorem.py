"""The convolution theorem: the DFT turns (circular) convolution into multiplication.

Claim from seed 004: 「學過信號處理的同學應該記得,時域卷積對應頻域相乘。所以原圖像與 Convolution
Kernel 的卷積,其實是對頻域信息進行選擇。」 -- convolution in time corresponds to multiplication
in frequency. Exactly: the DFT matrix F diagonalises *circular* convolution,
F C F^{-1} = diag(F k~) with k~ the kernel zero-padded to the input length (theorem
``convolution-theorem``, checked exactly with omega^n = 1, 1-D and 2-D). For the linear
(full) convolution used by the notes' other examples, the statement holds after zero-padding
both signals to length n + k - 1, where full convolution is the product of polynomials
(theorem ``polynomial-product``) and the DFT evaluates those polynomials at the n-th roots
of unity.

Run: ``python derivations/convolution_theorem.py``; exits 1 if any verdict differs from the
expected one.
"""

import sys

from symconv.claims import check_claims, report

CHECKS = [
    ("convolution-theorem", {}, "proved"),
    ("convolution-theorem", {"input_shape": (6,), "kernel_shape": (3,)}, "proved"),
    ("convolution-theorem", {"input_shape": (3, 3), "kernel_shape": (2, 2)}, "proved"),
    ("polynomial-product", {"a_shape": (4,), "b_shape": (3,)}, "proved"),
]


def main() -> int:
    return report(check_claims(CHECKS), len(CHECKS))


if __name__ == "__main__":
    sys.exit(main())
