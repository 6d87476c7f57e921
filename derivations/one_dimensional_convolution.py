"""One-dimensional convolution as two trains (seed 003), cross-referenced to the catalogue.

The claim, quoted from the notes (``seeds/003``):
「所谓的一维卷积,无非就是两列火车相向而驰,从头碰头,到尾离尾的过程。」 …
「所以,卷积的长度=长火车的车厢数+短火车的车厢数-1。当然,也有的一维卷积只考虑计算短火车和长火
车重叠部分包含短火车的时刻,即所谓的没有padding。」

It is the catalogue theorem ``full-and-valid-lengths`` (full padding gives n + k - 1
outputs, N + M - 1 carriages, and valid padding n - k + 1, proved for all sizes and against
numpy.convolve), and the picture of the trains is the polynomial product of
``polynomial-product`` (the full convolution's entry t collects every pair of carriages with
i + j = t).

Run ``python derivations/one_dimensional_convolution.py``; exits 1 if a verdict is not the
expected one.
"""

import sys

from symconv.claims import check_claims, report

CLAIMS = [
    ("seed 003 「卷积的长度=长火车的车厢数+短火车的车厢数-1」 … 「没有padding」",
     "full-and-valid-lengths", {}, "proved"),
    ("the two trains met carriage by carriage: full 1-D convolution = polynomial product",
     "polynomial-product", {}, "proved"),
]


def main() -> int:
    return report(check_claims(CLAIMS), len(CLAIMS))


if __name__ == "__main__":
    sys.exit(main())
