"""Softmax and cross-entropy (seed 003): shift invariance and entropy + KL, checked.

The claims, quoted from the notes (``seeds/003``), each decided below:

- 「softmax是一种归一化,它的好处就是使得计算上非常方便,谁用谁知道。」: the property that makes
  it convenient to compute, softmax(z + c) = softmax(z) (so implementations subtract max z),
  proved, and cross-checked against ``torch.softmax`` at shifts up to 700;
- 「交叉熵和KL散度以及JS散度都是衡量两个分布(向量)的距离的一种度量。」 with 「交叉熵:」 and
  「KL散度(KL距离,相对熵):」: the two are tied by H(p, q) = H(p) + KL(p || q) (proved;
  cross-checked against ``torch.nn.functional.cross_entropy`` and ``kl_div``); read
  literally, "a distance" is false for both: KL(p || q) != KL(q || p) at p = (1/2, 1/2),
  q = (1/4, 3/4), and H(p, p) = H(p) = log 2 is not 0 (the theorem that they are not
  distances is proved by that witness, exactly).

Run ``python derivations/softmax_and_cross_entropy.py``; exits 1 if a verdict is not the
expected one.
"""

import sys

from symconv.claims import check_claims, report

CLAIMS = [
    ("seed 003 「softmax是一种归一化 … 使得计算上非常方便」: softmax(z + c) = softmax(z)",
     "softmax-shift", {}, "proved"),
    ("the same with 6 classes", "softmax-shift", {"classes": 6}, "proved"),
    ("seed 003 「交叉熵和KL散度 … 都是衡量两个分布(向量)的距离的一种度量」: "
     "H(p, q) = H(p) + KL(p||q)",
     "cross-entropy-decomposition", {}, "proved"),
    ("seed 003 「…的距离的一种度量」 read as a distance: neither is one (witness)",
     "divergences-not-distances", {}, "proved"),
]


def main() -> int:
    return report(check_claims(CLAIMS), len(CLAIMS))


if __name__ == "__main__":
    sys.exit(main())
