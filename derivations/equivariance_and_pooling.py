"""Equivariance and pooling: the notes' claims, checked.

The claims, from the notes in ``seeds/`` (001, section 2.1.3, 2.2; 003, "unpooling"):

1. 「对于卷积层,它具有平移等变的性质:如果 g 是输入的任何一个平移函数(如:将图片向右移动一个
   像素),则下面的两个操作的结果是相同的:先对图片进行卷积之后,再对结果应用平移函数 g;先对图片
   应用平移函数 g,再对图片进行卷积」 -- true for circular convolution (every shift) and, with
   zero padding, on the interior rows only; claimed for every row it is refuted at the border.
   With a stride it holds only for shifts by multiples of the stride.
2. 「卷积对于某些变换并不是等变的:如缩放变换(改变图像的尺寸)、角度变换(旋转)」 -- proved by a
   witness for rotation; rotating the kernel with the input restores it.
3. 「事实上,最大池化、平均池化、以及其它池化对于平移变换均具有等变性」 -- true for stride 1 (and
   for shifts by multiples of the stride); a shift of one sample under stride 2 is refuted.
   Average pooling is a strided correlation with a uniform kernel (count_include_pad=True),
   so it inherits the convolution results; with count_include_pad=False it is not one.
4. 「可以将空间的旋转角度进行离散化,每个角度对应一个卷积,然后采用最大池化。这种做法也可以实现空间
   的旋转不变性」 -- proved for the four quarter turns; a bank of two orientations is refuted.
5. 「unpooling就是反池化,在池化过程中,记录下max-pooling在对应kernel中的坐标,在反池化过程中,将
   一个元素根据kernel进行放大,根据之前的坐标将元素填写进去,其他位置补0」 -- this is the transpose
   of the max-pool selection when windows do not overlap; with overlapping windows it is not.

Run ``python derivations/equivariance_and_pooling.py``; exits 1 if any verdict is unexpected.
"""

import sys

from symconv.claims import check_claims, report

CLAIMS = [
    ("1. circular convolution commutes with every shift", "equivariance", {}, "proved"),
    ("1. zero padding: interior rows agree (2-D, 2 channels)", "equivariance",
     {"boundary": "zero", "input_shape": (4, 4), "kernel_shape": (3, 3), "padding": 1,
      "shift": (0, 1), "in_channels": 2, "out_channels": 2}, "proved"),
    ("1. zero padding: every row (the notes' unqualified claim)", "equivariance",
     {"boundary": "zero", "rows": "all"}, "refuted"),
    ("1. stride 2, shift by 2 samples", "strided-equivariance", {}, "proved"),
    ("1. stride 2, shift by 1 sample", "strided-equivariance", {"shift": 1}, "refuted"),
    ("2. a general kernel is not rotation equivariant", "rotation-not-equivariant", {},
     "proved"),
    ("2. C(k) R = R C(k) with the kernel left alone", "rotation", {"rotate_kernel": False},
     "refuted"),
    ("2. rotating kernel and input together: C(R k) R = R C(k)", "rotation", {}, "proved"),
    ("3. max pooling, stride 1, shift 1", "max-pool-equivariance",
     {"input_shape": (5,), "kernel_shape": (2,), "stride": 1, "shift": 1}, "proved"),
    ("3. max pooling, stride 2, shift 2", "max-pool-equivariance", {}, "proved"),
    ("3. max pooling, stride 2, shift 1", "max-pool-equivariance", {"shift": 1}, "refuted"),
    ("3. average pooling = uniform strided correlation", "avg-pool-as-conv", {}, "proved"),
    ("3. ... with padding, count_include_pad=False", "avg-pool-as-conv",
     {"input_shape": (4, 4), "kernel_shape": (3, 3), "stride": 1, "padding": 1,
      "count_include_pad": False}, "refuted"),
    ("4. max over the four rotated filters is rotation invariant",
     "rotation-invariant-pooling", {}, "proved"),
    ("4. ... with only two orientations", "rotation-invariant-pooling", {"orientations": 2},
     "refuted"),
    ("5. max unpooling is the transpose of the selection (2x2/2)", "max-unpool-adjoint", {},
     "proved"),
    ("5. ... with overlapping windows (3/1)", "max-unpool-adjoint",
     {"input_shape": (4,), "kernel_shape": (3,), "stride": 1}, "refuted"),
]


def main() -> int:
    return report(check_claims(CLAIMS), len(CLAIMS))


if __name__ == "__main__":
    sys.exit(main())
