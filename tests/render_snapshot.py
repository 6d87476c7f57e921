"""Write every rendering of every catalogue theorem (and five refuted proofs) to a folder.

A refactoring must not change what symconv prints. Run this on the commit before and
after the change and compare the two folders byte for byte::

    python tests/render_snapshot.py /tmp/before      # on the parent commit
    python tests/render_snapshot.py /tmp/after       # on the change
    diff -r /tmp/before /tmp/after && echo identical

Each proof is written as ``NAME.text``, ``NAME.brief.text``, ``NAME.tex`` (standalone),
``NAME.brief.tex``, ``NAME.md``, ``NAME.brief.md`` and ``NAME.json``. Timings are left
out of every file, so two runs of one commit are identical.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import symconv as sc
from symconv.render.brief import brief
from symconv.theorems import prove, theorems

#: Refuted proofs, each with the call that builds it.
REFUTED = {
    "refuted-dropout-test-scale": lambda: prove("dropout-test-scale", scale="p"),
    "refuted-batch-norm-moments": lambda: prove("batch-norm-moments", batch=2, variance="1"),
    "refuted-formula-same-total": lambda: sc.check_formula(
        "max(k - n % s, 0)", quantity="same_pad_total", convention="tensorflow", fixed={"d": 1}),
    "refuted-formula-output-size": lambda: sc.check_formula(
        "floor((n + 2*p - k)/s) + 1", quantity="output_size"),
    "refuted-claim-flip": lambda: sc.check("conv(x, k) == corr(x, k)",
                                           shapes={"x": (4,), "k": (3,)}),
}

_TIMING = re.compile(r"\d+(\.\d+)?\s*(ms|s)\b")


def _stable(text: str) -> str:
    """Timings vary from run to run: replace each by a placeholder."""
    return _TIMING.sub("<time>", text)


def write(name: str, proof: sc.Proof, folder: Path) -> None:
    short = brief(proof)
    outputs = {
        "text": proof.text(), "brief.text": short.text(),
        "tex": proof.latex(standalone=True), "brief.tex": short.latex(standalone=True),
        "md": proof.markdown(), "brief.md": short.markdown(), "json": proof.to_json(),
    }
    for suffix, text in outputs.items():
        (folder / f"{name}.{suffix}").write_text(_stable(text), encoding="utf-8")


def main(argv: list[str]) -> int:
    folder = Path(argv[0])
    folder.mkdir(parents=True, exist_ok=True)
    for entry in theorems():
        write(entry["name"], prove(entry["name"]), folder)
    for name, build in REFUTED.items():
        proof = build()
        assert proof.verdict == "refuted", (name, proof.verdict)
        write(name, proof, folder)
    print(f"wrote {len(list(folder.iterdir()))} files to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
