"""Seed 003's transposed-convolution recipe, stated as open claims and checked by ``sc.check``.

The notes (「反卷积(转置卷积)」) compute a transposed convolution in four steps: flip the
kernel (「将卷积核反转」), insert s-1 zeros between the entries (「补(步长-1)个0」), pad
the result, then run a stride-1 convolution (「进行步长为1的卷积操作」). Written in the
claim language, for PyTorch's ``ConvTranspose`` with padding p and output_padding q:

    conv_transpose(y, k, stride=s, padding=p, output_padding=q)
      == corr(pad(upsample(y, s), K - 1 - p, K - 1 - p + q), flip(k))

checked here as a chain (the recipe, then "correlation with the flipped kernel is
convolution", then "convolution is the flipped correlation of the flipped input"), each
step on every point of the domain, smallest first. The recipe's wrong variants are
refuted with their smallest counterexample: no flip, the wrong padding amount (K
instead of K-1, or p instead of K-1-p), s zeros instead of s-1, and output_padding
ignored.

With channels and groups (``y=(c, m)``, PyTorch's weight ``k=(c, o, K)`` of a layer
with ``o*g`` outputs), the flipped kernel must also be regrouped into a correlation
weight ``(o*g, c/g, K)``: ``transpose_weight(k, groups=g)``. Without it the recipe is
refuted at the smallest point with two output channels.

Run: ``python derivations/transposed_convolution_as_a_claim.py``; exits 1 if any verdict
differs from the expected one.
"""

import sys

import symconv as sc

SHAPES = {"y": "m", "k": "K"}
#: p <= K - 1 keeps the recipe's padding non-negative; output_padding q < stride s.
DOMAIN = "1 <= m <= 4, 3 <= K <= 4, 2 <= s <= 3, 0 <= p <= 2, 0 <= q <= 1"
LEFT = "conv_transpose(y, k, stride=s, padding=p, output_padding=q)"
RECIPE = "corr(pad(upsample(y, s), K - 1 - p, K - 1 - p + q), flip(k))"
CHAIN = (f"{LEFT} == {RECIPE} == conv(pad(upsample(y, s), K - 1 - p, K - 1 - p + q), k) "
         "== flip(corr(flip(pad(upsample(y, s), K - 1 - p, K - 1 - p + q)), k))")

GROUPED_SHAPES = {"y": "(c, m)", "k": "(c, o, K)"}
GROUPED_DOMAIN = "1 <= m <= 3, 1 <= K <= 3, 1 <= s <= 2, 1 <= c <= 4, o <= 2"
GROUPED_LEFT = "conv_transpose(y, k, stride=s, groups=g)"
GROUPED_RECIPE = ("corr(pad(upsample(y, s), K - 1), flip(transpose_weight(k, groups=g)), "
                  "groups=g)")

CLAIMS = [
    ("the recipe, as a chain of three steps", CHAIN, "verified"),
    ("no flip of the kernel", f"{LEFT} == corr(pad(upsample(y, s), K - 1 - p, "
     "K - 1 - p + q), k)", "refuted"),
    ("pad K - p instead of K - 1 - p", f"{LEFT} == corr(pad(upsample(y, s), K - p, "
     "K - p + q), flip(k))", "refuted"),
    ("pad p instead of K - 1 - p", f"{LEFT} == corr(pad(upsample(y, s), p, p + q), "
     "flip(k))", "refuted"),
    ("s zeros instead of s - 1", f"{LEFT} == corr(pad(upsample(y, s + 1), K - 1 - p, "
     "K - 1 - p + q), flip(k))", "refuted"),
    ("output_padding ignored (symmetric pad)", f"{LEFT} == corr(pad(upsample(y, s), "
     "K - 1 - p), flip(k))", "refuted"),
    ("a false middle step: correlation is convolution",
     f"{LEFT} == {RECIPE} == corr(pad(upsample(y, s), K - 1 - p, K - 1 - p + q), k)",
     "refuted"),
    ("with channels and groups: the recipe, the kernel regrouped",
     f"{GROUPED_LEFT} == {GROUPED_RECIPE}", "verified", GROUPED_SHAPES, GROUPED_DOMAIN),
    ("with channels and groups: the kernel only flipped, not regrouped",
     f"{GROUPED_LEFT} == corr(pad(upsample(y, s), K - 1), flip(k), groups=g)", "refuted",
     GROUPED_SHAPES, GROUPED_DOMAIN),
]


def main() -> int:
    failures = 0
    for title, claim, expected, *setting in CLAIMS:
        shapes, domain = setting or (SHAPES, DOMAIN)
        proof = sc.check(claim, shapes=shapes, domain=domain)
        print(f"\n##### {title}  (expected: {expected})")
        print(proof.text())
        if proof.verdict != expected:
            print(f"UNEXPECTED: {title}: {proof.verdict}, expected {expected}")
            failures += 1
    print("\nall claims checked:", "ok" if not failures else f"{failures} unexpected verdict(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
