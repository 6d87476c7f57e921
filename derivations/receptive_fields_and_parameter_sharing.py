"""Receptive fields, parameter sharing and cost: the notes' claims against the operators.

Claims from the notes (seed 001, /work/shared/seeds/001_*), each checked below:

- "处在卷积网络更深层的单元,其接受域(即影响它的神经元)要比处在浅层的单元的接受域更大"
  (deeper units have larger receptive fields): the support of a row of the composed
  operator, r = 1 + sum d_l (k_l - 1) prod_{i<l} s_i, grows with depth.
- parameter sharing: "卷积层中,同一个核会在输入的不同区域做卷积运算": C holds only
  C_out (C_in/groups) prod k distinct symbols (when every tap reaches the input).
- "计算量(以一次乘-加计算为单位)": one multiply-add per nonzero of C; the naive
  out_size * C_in * prod k count includes the taps on zero padding.
- "当输入feature map 宽高为 32x32,卷积核宽高为2x2,步长为1时,全连接层的参数数量是卷积层参数
  数量的 24.6 万倍" and "...全连接层的计算量是卷积层计算量的 256 倍": 246016 and 256, exactly.

Run ``python derivations/receptive_fields_and_parameter_sharing.py``; exits 1 if a verdict
is not the expected one.
"""

import sys

from symconv.claims import check_claims, report

#: (theorem, parameters, expected verdict)
CHECKS = [
    ("receptive-field", {}, "proved"),
    ("receptive-field", {"product_upto": "including"}, "refuted"),
    ("parameter-count", {}, "proved"),
    ("parameter-count", {"input_shape": (1,), "kernel_shape": (3,), "padding": 1,
                         "in_channels": 1, "out_channels": 1, "groups": 1}, "proved"),
    ("parameter-count", {"claim": "unconditional"}, "refuted"),
    ("mac-count", {}, "proved"),
    ("mac-count", {"claim": "naive"}, "refuted"),
    ("fc-vs-conv-cost", {}, "proved"),
    ("fc-vs-conv-cost", {"macs_ratio": 246016}, "refuted"),
]


def main() -> int:
    return report(check_claims(CHECKS), len(CHECKS))


if __name__ == "__main__":
    sys.exit(main())
