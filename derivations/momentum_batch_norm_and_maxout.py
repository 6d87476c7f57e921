"""Momentum, batch normalisation and maxout (seed 003), checked.

The claims, quoted from the notes (``seeds/003``), each decided below:

- momentum: 「走的步长 v_n(称为速度)是由当前的负梯度方向和前一步的速度 v_{n-1} 做线性组合得到的。
  前一步的速度又和前前步的速度有关,以此类推,就把速度积累下来了。」: unrolled, v_n = -eta
  sum_k mu^(n-k) g_k, a geometrically weighted sum of all past gradients (proved; PyTorch's
  SGD with momentum agrees);
- batch normalisation: 「就是"减去均值,除以方差"的标准化过程」, 「把输入数据重新拉回到均值为0,方差
  为1的区域」: the output has mean 0 and variance sigma^2/(sigma^2 + epsilon) (proved;
  PyTorch's batch_norm agrees) -- exactly 1 only as epsilon -> 0, so "variance 1" is refuted
  at PyTorch's epsilon = 1e-5 (a batch 0, 1 gives 25000/25001);
- maxout: 「所以这就是为什么采用maxout的时候,参数个数成k倍增加的原因。本来我们只需要一组参数就够
  了,采用maxout后,就需要有k组参数。」 with 「z1=w1*x+b1 … z5=w5*x+b5, out=max(z1,z2,z3,z4,z5)」:
  k times the parameters (proved, k = 5 and the whole domain).

Run ``python derivations/momentum_batch_norm_and_maxout.py``; exits 1 if a verdict is not
the expected one.
"""

import sys

from symconv.claims import check_claims, report

CLAIMS = [
    ("seed 003 「v_n … 是由当前的负梯度方向和前一步的速度 v_{n-1} 做线性组合得到的 … "
     "就把速度积累下来了」",
     "momentum-unrolled", {}, "proved"),
    ("seed 003 「减去均值,除以方差」: mean 0, variance sigma^2/(sigma^2 + epsilon)",
     "batch-norm-moments", {}, "proved"),
    ("seed 003 「把输入数据重新拉回到均值为0,方差为1的区域」: variance exactly 1",
     "batch-norm-moments", {"batch": 2, "variance": "1"}, "refuted"),
    ("seed 003 「参数个数成k倍增加 … 就需要有k组参数」 (k = 5)", "maxout-parameters", {},
     "proved"),
]


def main() -> int:
    return report(check_claims(CLAIMS), len(CLAIMS))


if __name__ == "__main__":
    sys.exit(main())
