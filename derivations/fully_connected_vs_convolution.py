"""Fully connected layers versus convolutions: the notes' claims, checked.

The claims, from notes 001 (sections 2.4 and 2.5):

1. 「如果将 W 重新reshape 成一个尺寸为 C×H×W 、输入通道为 C 的卷积核,则它恰好与后接卷积层的第 i 个
   卷积核相同。而且二者都是输入的线性组合,因此二者可以相互转换」 -- a dense layer is a convolution
   with whole-map filters; on a larger map that convolution slides (fully convolutional).
2. 「在VGG-net 中,训练图像尺寸是224x224 的,展平之前的feature map 尺寸为 512x7x7;如果测试图像尺寸是
   384x384的,展平之前的feature map 尺寸为 512x12x12 … 如果后接卷积层,则卷积核的尺寸为 7x7、通道数
   1000,最终的输出的结果尺寸为1000x6x6 … 它表示分别对测试图像的36个位置使用了原始的CNN」 -- the
   sizes are exact (total stride 32, (384 - 224)/32 + 1 = 6). The last sentence is only
   approximately true: position (i, j) is aligned with the 224 crop at offset 32 (i, j), but
   inside the large image the crop network's 'same' zero padding is replaced by real pixels,
   so the value is not the original CNN run on that crop.
3. 「当输入feature map 宽高为 32x32,卷积核宽高为2x2,步长为1时,全连接层的参数数量是卷积层参数数量的
   24.6 万倍 … 全连接层的计算量是卷积层计算量的 256 倍」 -- 246016 and 256, exactly.

A test size that is not 224 + 32 k (e.g. 400) leaves pixels no crop sees: refuted.
Run ``python derivations/fully_connected_vs_convolution.py``; exits 1 if any verdict is
unexpected.
"""

import sys
from fractions import Fraction

from symconv.claims import check_claims
from symconv.network import fc_vs_conv, shape

CLAIMS = [
    ("1./2. dense = whole-map conv, sliding, VGG 224 -> 384", {}, "proved"),
    ("1. 1-D, 3 channels, window 3 on 5 inputs",
     {"channels": 3, "window": (3,), "input_shape": (5,), "outputs": 3}, "proved"),
    ("2. test image 400 (not 224 + 32k)", {"test_image": 400}, "refuted"),
]

VGG16 = [f"conv({c}, k=3, p=1)" for c in (64, 64)] + ["maxpool(2)"] \
    + [f"conv({c}, k=3, p=1)" for c in (128, 128)] + ["maxpool(2)"] \
    + [f"conv({c}, k=3, p=1)" for c in (256, 256, 256)] + ["maxpool(2)"] \
    + [f"conv({c}, k=3, p=1)" for c in (512, 512, 512)] + ["maxpool(2)"] \
    + [f"conv({c}, k=3, p=1)" for c in (512, 512, 512)] + ["maxpool(2)"] \
    + ["conv(4096, k=7)", "conv(4096, k=1)", "conv(1000, k=1)"]


def network_check() -> list[str]:
    """The VGG-16 chain with FC6-8 as convolutions, through the shape calculator."""
    problems = []
    for image, want in ((224, (1000, 1, 1)), (384, (1000, 6, 6))):
        reports = shape(f"3x{image}x{image}", VGG16)
        features = reports[-4].output_shape
        print(f"VGG-16 on {image}x{image}: features {features}, output "
              f"{reports[-1].output_shape}, effective stride {reports[-4].effective_stride}")
        if reports[-1].output_shape != want:
            problems.append(f"VGG-16 at {image}: {reports[-1].output_shape}, expected {want}")
    return problems


def ratio_check() -> list[str]:
    """Section 2.4: 32x32 map, 2x2 kernel, stride 1."""
    c = fc_vs_conv((32, 32), kernel=2)
    print(f"32x32, 2x2 kernel: FC params {c.fc_params}, conv params {c.conv_params}, ratio "
          f"{c.params_ratio}; FC MACs {c.fc_macs}, conv MACs {c.conv_macs}, ratio "
          f"{c.macs_ratio}")
    problems = []
    if c.params_ratio != Fraction(246016):
        problems.append(f"params ratio {c.params_ratio}, the notes say 24.6万 (246016)")
    if c.macs_ratio != Fraction(256):
        problems.append(f"MACs ratio {c.macs_ratio}, the notes say 256")
    return problems


def crop_check() -> list[str]:
    """A tiny 1-D 'network' (3-tap 'same' conv, stride 2, then a 2-wide FC as a conv):
    fully convolutional output 1 on 6 samples vs the network run on the crop x[2:6]."""
    import sympy

    from symconv import Geometry, correlation, input_symbols

    def network(n):
        first = correlation(Geometry((n,), (3,), stride=2, padding=1))
        fc = correlation(Geometry(first.output_shape[1:], (2,)), kernel_name="W")
        return lambda x: fc.apply(first.apply(x))

    x = input_symbols((1, 6))
    full = network(6)(x)[0, 1]
    crop = network(4)(sympy.Array([[x[0, j] for j in range(2, 6)]]))[0, 0]
    differ = sympy.expand(full - crop) != 0
    print(f"fully convolutional, position 1: {full}\nnetwork on the crop x[2:6]:     {crop}")
    print("They differ: the crop's zero padding replaces x_{0,1}." if differ else "Equal.")
    return [] if differ else ["the crop check found no border effect"]


def main() -> int:
    unexpected = check_claims((title, "fc-as-conv", parameters, expected)
                              for title, parameters, expected in CLAIMS)
    print("\n##### 2. the whole network, through symconv.network.shape")
    unexpected += network_check()
    print("\n##### 2. '36 positions = the original CNN on 36 crops' is approximate")
    unexpected += crop_check()
    print("\n##### 3. parameter and MAC ratios (section 2.4)")
    unexpected += ratio_check()
    print("\n" + ("\n".join(unexpected) if unexpected else
                  "All verdicts and numbers are the expected ones."))
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
