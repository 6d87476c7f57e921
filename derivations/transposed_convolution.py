"""Transposed convolution: the matrix view and the four-step recipe of seed 003.

Claims from seed 003 (「反卷积(转置卷积)」), checked here:

- 「4x4的输入,卷积Kernel为3x3, 没有Padding / Stride, 则输出为2x2……卷积运算可表示为 y = Cx……
  转置卷积……就是 x̂ = Cᵀŷ」 -- the transposed convolution is Cᵀ (theorem ``transpose``, at the
  notes' 4x4 / 3x3 example, and with stride 2).
- The four steps: 「首先是将卷积核反转」 (flip the kernel); 「往每一个元素后面补0……补(步长-1)个0」
  (insert $s-1$ zeros); 「在扩充后的输入基础上再对整体补0」 (pad); 「进行步长为1的卷积操作」
  (stride-1 correlation with the flipped kernel) -- theorem ``transposed-as-convolution``:
  $T = C_{\mathrm{flip}} P Z$ with pads $d(k-1)-p$ before and $d(k-1)-p+\mathrm{op}$ after
  (op: ``output_padding``).
- The notes' padding rule: 「计算padding按规则补0时,统一按照padding='SAME'、步长为1*1的方式来计算……
  得到补0的位置要上下和左右各自颠倒一下」 -- total padding from the sizes, split as SAME
  (odd pixel after), then swapped (odd pixel before). For PyTorch's ConvTranspose this is
  right exactly when ``output_padding`` $= 0$ and refuted when it is $1$: the extra
  row belongs at the end. (TensorFlow's SAME transposed convolution, which the notes
  follow, aligns the odd pixel the other way, so the swap is the TF convention.)
- The literal wording "append $s-1$ zeros after every element" (including the last) with the
  notes' padding rule is refuted as well, even with ``output_padding`` $= 0$ (from stride 3 on).

Run: ``python derivations/transposed_convolution.py``; exits 1 if any verdict differs from
the expected one.
"""

import sys

import symconv as sc
from symconv.claims import check_claims
from symconv.theorems.decomposition import transposed_domain

CHECKS = [
    ("transpose", {"input_shape": (4, 4), "kernel_shape": (3, 3)}, "proved"),
    ("transpose", {"input_shape": (5,), "kernel_shape": (3,), "stride": 2}, "proved"),
    ("transposed-as-convolution", {}, "proved"),
    ("transposed-as-convolution", {"input_shape": (2, 2), "kernel_shape": (3, 3), "stride": 2,
                                   "padding": 1, "output_padding": 1}, "proved"),
]


def smallest_refutation(**rule):
    """Walk the theorem's domain (smallest first) with the notes' variant; first refutation.

    A fixed ``output_padding`` in ``rule`` restricts the walk to the points that have it.
    """
    for point in transposed_domain():
        if "output_padding" in rule and point["output_padding"] != rule["output_padding"]:
            continue
        proof = sc.prove("transposed-as-convolution", **{**point, **rule})
        if proof.verdict == "refuted":
            return proof
    return None


def main() -> int:
    failures = len(check_claims(CHECKS))

    print("== The notes' padding rule (SAME split, then swapped), zeros between samples")
    even = [p for p in transposed_domain() if set(p["output_padding"] if isinstance(
        p["output_padding"], tuple) else (p["output_padding"],)) == {0}]
    held = [sc.prove("transposed-as-convolution", **{**p, "pad_rule": "notes"}).verdict
            for p in even]
    print(f"with output_padding = 0: {held.count('proved')} of {len(even)} domain points "
          "proved")
    failures += held.count("proved") != len(even)
    typical = {"input_shape": (3,), "kernel_shape": (3,), "stride": 2, "padding": 1,
               "output_padding": 1, "pad_rule": "notes"}
    proof = sc.prove("transposed-as-convolution", **typical)
    print(f"\n== The notes' rule at the usual upsampling layer {typical}")
    print(proof.text())
    failures += proof.verdict != "refuted"
    for rule in ({"pad_rule": "notes"}, {"pad_rule": "notes", "insertion": "after"},
                 {"pad_rule": "notes", "insertion": "after", "output_padding": 0}):
        proof = smallest_refutation(**rule)
        print(f"\n== Claim {rule}: smallest counterexample on the domain")
        if proof is None:
            print("!! expected refuted, but every domain point was proved")
            failures += 1
            continue
        print(proof.text())
    print("\nall claims checked:", "ok" if not failures else f"{failures} unexpected verdict(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
