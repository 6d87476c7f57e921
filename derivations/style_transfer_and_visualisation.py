"""Style transfer and visualisation (seed 002): the losses and their gradients, checked.

The claims, quoted from the notes (``seeds/002``), each decided below:

- content loss: 「内容损失 … 的定义是: L_{\\text {content}}(\\vec{p}, \\vec{x}, l)=\\frac{1}{2}
  \\sum_{i, j}\\left(F_{i j}^{l}-P_{i j}^{l}\\right)^{2}」 and 「还原图像的方法是梯度下降法」:
  its gradient is F - P (proved);
- style loss: 「风格损失 … 的定义应用了Gram矩阵,这里不在展开」, 「L_{s t y l e}(\\vec{p}, \\vec{x},
  l)=\\frac{1}{4 N_{l}^{2} M_{l}^{2}} \\sum_{i, j}\\left(A_{i j}^{l}-G_{i j}^{l}\\right)^{2}」:
  with G = F F^T its gradient is (F^T (G - A))^T / (N^2 M^2) when A is a Gram matrix
  (proved); the same form for an arbitrary target A is refuted (smallest: N = 2, M = 1);
- activation maximisation: 「a^{k}=\\sum_{i=1}^{11} \\sum_{j=1}^{11} a_{i j}^{k}」,
  「其实就是找一个输入x使得 a^k 最大 … 可以用梯度下降方法求输入使得 a^k 最大」: the gradient of
  a^k is the all-ones map, back-projected through the layers (proved).

Run ``python derivations/style_transfer_and_visualisation.py``; exits 1 if a verdict is not
the expected one.
"""

import sys

from symconv.claims import check_claims, report

CLAIMS = [
    ("seed 002 「内容损失 … \\frac{1}{2} \\sum_{i, j}(F_{ij}^{l}-P_{ij}^{l})^{2}」: gradient F - P",
     "content-loss-gradient", {}, "proved"),
    ("seed 002, a wider map: 4 channels at 4 positions", "content-loss-gradient",
     {"channels": 4, "positions": 4}, "proved"),
    ("seed 002 「风格损失 … Gram矩阵 … \\frac{1}{4 N_{l}^{2} M_{l}^{2}} \\sum_{i, j}(A_{ij}^{l}"
     "-G_{ij}^{l})^{2}」: gradient (F^T (G - A))^T / (N^2 M^2), A a Gram matrix",
     "style-loss-gradient", {}, "proved"),
    ("the same gradient for an arbitrary (non-symmetric) target A", "style-loss-gradient",
     {"channels": 2, "positions": 1, "target": "any"}, "refuted"),
    ("seed 002 「a^{k}=\\sum_{i=1}^{11} \\sum_{j=1}^{11} a_{i j}^{k}」 "
     "「用梯度下降方法求输入使得 a^k 最大」: the gradient is the all-ones map back-projected",
     "activation-maximisation", {}, "proved"),
]


def main() -> int:
    return report(check_claims(CLAIMS), len(CLAIMS))


if __name__ == "__main__":
    sys.exit(main())
