r"""Backpropagation through a convolution layer: the gradients, checked.

The claims:

1. Deep Learning book, section 9.5 (the book the notes in ``seeds/000`` follow): with
   $Z = c(K, V, s)$ and $G = \partial J/\partial Z$, the gradient for the kernel is
   $g(G, V, s)_{i,j,k,l} = \sum_{m,n} G_{i,m,n} V_{j,(m-1)s+k,(n-1)s+l}$ (1-based, the book's
   indices), the correlation of the input with the incoming gradient, and the gradient for
   the input is $h(K, G, s)$, which scatters $K G$ back to the input positions -- the transpose of
   the convolution.
2. Notes 003: 「反向传播…其实就是链式法则」 and 「(反卷积)通过将卷积核转置,与卷积后的结果再做一遍
   卷积,所以它还有个名字叫转置卷积」 -- the input gradient is exactly $C^{\mathsf T} G$, the
   transposed convolution applied to $G$.

Both are derived by SymPy differentiation of $J = \sum G \ast Z$ with symbolic $G$, $K$ and
$V$ (multi-channel, strided, dilated, grouped cases), and compared exactly with the index
formulas. Run ``python derivations/backpropagation.py``; exits 1 if any verdict is unexpected.
"""

import sys

import symconv as sc
from symconv.claims import check_claims

CLAIMS = [
    ("1-D, 2 -> 2 channels, stride 2, padding 1", {}, "proved"),
    ("2-D 4x4, 3x3 kernel, 2 -> 2 channels, stride 2, padding 1",
     {"input_shape": (4, 4), "kernel_shape": (3, 3), "stride": 2, "padding": 1,
      "in_channels": 2, "out_channels": 2}, "proved"),
    ("1-D, dilation 2, stride 2, 4 -> 2 channels in 2 groups",
     {"input_shape": (6,), "kernel_shape": (2,), "stride": 2, "dilation": 2, "in_channels": 4,
      "out_channels": 2, "groups": 2}, "proved"),
    ("2-D 'same' padding (asymmetric pads), stride 2",
     {"input_shape": (4, 4), "kernel_shape": (2, 2), "stride": 2, "padding": "same",
      "in_channels": 1, "out_channels": 2}, "proved"),
]


def main() -> int:
    unexpected = check_claims((title, "gradients", parameters, expected)
                              for title, parameters, expected in CLAIMS)
    default = sc.prove("gradients")
    print(f"\nDefault point and its exhaustive domain: {default.verdict} "
          f"({', '.join(default.evidence)}) -- {default.domain}")
    if default.verdict != "proved":
        unexpected.append("gradients over its domain: " + default.verdict)
    print("\n" + ("\n".join(unexpected) if unexpected else
                  f"All {len(CLAIMS) + 1} verdicts are the expected ones."))
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
