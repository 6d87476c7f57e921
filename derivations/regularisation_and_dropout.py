"""Regularisation and dropout (seed 003): weight decay, the L1 subgradient, dropout's scaling.

The claims, quoted from the notes (``seeds/003``), each decided below:

- 「L2正则化(权重衰减)为:」 … 「对权重求导,可得: L2这里体现了权重的一个衰减。」: with the
  penalty (lambda/2)||w||^2 a step is w <- (1 - eta lambda) w - eta grad L (proved; PyTorch's
  SGD weight_decay agrees); with lambda ||w||^2 the factor is 1 - 2 eta lambda (refuted);
- 「L1正则化为:」 … 「这个也可以做类似的求导。」: not quite the same -- |w| has no derivative
  at 0; its subgradient is lambda sign(w), [-lambda, lambda] at 0 (proved);
- 「所谓的dropout,就是以一定的概率p(比如说0.5)先把隐藏层的部分节点藏起来 … 测试的时候,用的是所
  有的节点,只不过权重得乘以p。」: refuted -- right only at p = 1/2 (the notes' example, proved
  there); the expectation gives the keep probability 1 - p (proved), and inverted dropout
  scales by 1/(1 - p) during training instead (proved; what torch's dropout does).

Run ``python derivations/regularisation_and_dropout.py``; exits 1 if a verdict is not the
expected one.
"""

import sys

from symconv.claims import check_claims, report

DROPOUT = "seed 003 「以一定的概率p … 藏起来 … 测试的时候 … 权重得乘以p」"

CLAIMS = [
    ("seed 003 「L2正则化(权重衰减) … 对权重求导 … 体现了权重的一个衰减」: (1 - eta lambda) w",
     "weight-decay", {}, "proved"),
    ("the same factor 1 - eta lambda for the penalty lambda ||w||^2", "weight-decay",
     {"penalty": "full"}, "refuted"),
    ("seed 003 「L1正则化 … 这个也可以做类似的求导」: the subgradient", "l1-subgradient", {},
     "proved"),
    (f"{DROPOUT}: multiply by p, for every p", "dropout-test-scale", {"scale": "p"},
     "refuted"),
    (f"{DROPOUT}: at the notes' p = 0.5", "dropout-test-scale",
     {"scale": "p", "drop_probability": "0.5"}, "proved"),
    ("the expectation argument: multiply by the keep probability 1 - p", "dropout-test-scale",
     {}, "proved"),
    ("inverted dropout: scale the kept units by 1/(1 - p) during training",
     "inverted-dropout", {}, "proved"),
    ("inverted dropout with the scale 1/p", "inverted-dropout", {"scale": "1/p"}, "refuted"),
]


def main() -> int:
    return report(check_claims(CLAIMS), len(CLAIMS))


if __name__ == "__main__":
    sys.exit(main())
