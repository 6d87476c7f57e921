"""Output sizes and padding: the notes' size rules checked against the operators.

Claims from the notes (seeds in /work/shared/seeds), each checked below:

- seed 001 (pooling): "池化层的输入单元数量为 6 ,池的宽度为3、步幅为 2,池化层的输出单元数量为 2";
  "n×S+(W−1) ≤ (N−1) → n ≤ (N−W)/S" (so floor((N−W)/S) + 1 outputs).
- seed 003 (padding): valid "out_height = ceil(float(in_height - filter_height + 1) /
  float(strides[1]))"; same "out_height = ceil(float(in_height) / float(strides[1]))";
  "输入长度为13,滤波器长度为6,步长为5。后面两个数字,不够滤波器长度,直接drop掉";
  "我们需要填充的量为,以宽为例:max{filter_width-in_width%strides[2],0},百分号表示取余,
  特别地,in_width%1的值为1" -- proved with the remainder read in [1, s], refuted as written
  (both literally and with only its n % 1 = 1 special case);
  "卷积的长度=长火车的车厢数+短火车的车厢数-1"; full 7x7 with 3x3; 4x4 with 3x3 -> C is 4x16.
- seed 002: "输入时1 8 28 * 28 经过2层卷积层和池化后就是 50 *11 * 11".

Run ``python derivations/output_sizes_and_padding.py``; exits 1 if a verdict is not the
expected one.
"""

import sys

from symconv.claims import check_claims, report

#: (theorem, parameters, expected verdict)
CHECKS = [
    ("output-size", {}, "proved"),
    ("output-size", {"input_shape": (13,), "kernel_shape": (6,), "stride": 5,
                     "padding": "valid"}, "proved"),
    ("output-size", {"input_shape": (5, 7), "kernel_shape": (3, 2), "stride": 2,
                     "padding": ((1, 0), (2, 1)), "dilation": (1, 2)}, "proved"),
    ("output-size", {"formula": "floor((n + 2*p - k)/s) + 1"}, "refuted"),
    ("same-padding", {}, "proved"),
    ("same-padding", {"padding": "same_lower", "odd_pixel": "before"}, "proved"),
    ("same-padding", {"odd_pixel": "before"}, "refuted"),
    ("full-and-valid-lengths", {}, "proved"),
    ("transposed-output-size", {}, "proved"),
    ("transposed-output-size", {"input_shape": (3,), "kernel_shape": (3,), "stride": 1,
                                "padding": 0, "output_padding": 1, "dilation": 2}, "proved"),
    ("pool-output-size", {}, "proved"),
    ("pool-output-size", {"input_shape": (6,), "kernel_shape": (3,), "stride": 2,
                          "ceil_mode": False}, "proved"),
    ("pool-output-size", {"drop_rule": False}, "refuted"),
    ("seed-same-pad-rule", {}, "proved"),
    ("seed-same-pad-rule", {"rule": "dilated"}, "proved"),
    ("seed-same-pad-rule", {"rule": "literal"}, "refuted"),
    ("seed-same-pad-rule", {"rule": "seed"}, "refuted"),
    ("notes-size-claims", {}, "proved"),
]


def main() -> int:
    return report(check_claims(CHECKS), len(CHECKS))


if __name__ == "__main__":
    sys.exit(main())
