"""One notation per proof, every symbol typeset: checked on every catalogue theorem's proof.

DESIGN's contract symbols: ``k`` the forward kernel (``w`` only where a step says it means
the transposed layout), ``i`` the output index (a window: the stride multiplies it), ``j``
the input index, ``m`` the tap (the dilation multiplies it). The checks read each step's
math: its ``$...$`` spans and its display formulas (LaTeX and plain text).
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from render_snapshot import REFUTED

from symconv.proof import Math
from symconv.render.latex import proof_latex, split_math
from symconv.render.markdown import proof_markdown
from symconv.theorems import prove, theorems

NAMES = [entry["name"] for entry in theorems()]

#: The theorems whose proofs index a convolution's entries (window, input, tap).
INDEXED = ["transpose", "adjoint", "gradients", "transposed-as-convolution",
           "transposed-output-size", "stride-as-subsampling", "dilation", "im2col"]
#: A proof whose kernel letter is not k (the Deep Learning book's K in gradients), with the
#: sentence of the step that says it is the forward kernel k: its proof for all sizes (the
#: index sets, shared with transpose) writes k.
KERNEL = {"gradients": ("K", "$K$ is the forward kernel $k$")}


class Proofs(dict):
    """Each catalogue theorem's proof at its default parameters, built when first asked."""

    def __missing__(self, name):
        self[name] = prove(name, exhaustive=False)
        return self[name]


@pytest.fixture(scope="module")
def proofs():
    return Proofs()


def step_math(step) -> list[str]:
    """The step's math: inline ``$...$`` spans of its text and its formulas (both forms)."""
    found = [piece for is_math, piece in split_math(step.text) if is_math]
    for item in step.math:
        if isinstance(item, Math):
            found += [item.latex, item.plain]
    return found


#: The stride times the input index j (``s j``, ``j s``, ``s\,j``, ``s*j``): j named a window.
STRIDE_TIMES_J = re.compile(r"(?<![\\\w])s\s*(?:\\[,;]\s*|\*\s*)?j(?![\w'])"
                            r"|(?<![\\\w])j\s*(?:\\[,;]\s*|\*\s*)?s(?![\w'])")
#: The dilation times a position (``d i``, ``d j``): only the tap m is dilated.
DILATION_TIMES_POSITION = re.compile(r"(?<![\\\w])d\s*(?:\\[,;]\s*|\*\s*)?[ij](?![\w'])")
#: Entry (j, i) of C itself (not of its transpose): C's rows are the windows i.
C_ROW_J = re.compile(r"(?<![\\\w])C(?:_\{?|\[)j,\s*i")


def kernel_uses(latex: str, letter: str) -> bool:
    """Whether ``letter`` is used as a kernel: ``k_m``, ``k[m]``, ``w_{...}``, ``w[o, c, m]``."""
    return re.search(rf"(?<![\\\w]){letter}(?:_|\[)", latex) is not None


@pytest.mark.parametrize("name", INDEXED)
def test_a_proof_keeps_i_for_windows_j_for_inputs_and_one_kernel_letter(proofs, name):
    kernel, switch = KERNEL.get(name, ("k", None))
    others = ["w", "K" if kernel == "k" else "k"]
    if switch is not None:  # the proof says once that its K is the forward kernel k
        assert any(switch in step.text for step in proofs[name].steps), switch
        others.remove("k")
    for step in proofs[name].steps:
        for math in step_math(step):
            where = f"{name}, step {step.title!r}: {math}"
            assert not STRIDE_TIMES_J.search(math), "the stride multiplies j: " + where
            assert not DILATION_TIMES_POSITION.search(math), "the dilation multiplies i/j: " + where
            assert not C_ROW_J.search(math), "C's row named j: " + where
            for other in others:
                if kernel_uses(math, other):
                    assert other == "w" and "transposed layout" in step.text, \
                        f"kernel {other} in a proof whose kernel is {kernel}: {where}"


def test_the_checks_catch_a_swapped_index_and_a_second_kernel_letter():
    assert STRIDE_TIMES_J.search(r"T_{s j - p + d m,\; j}") and STRIDE_TIMES_J.search("s*j - p")
    assert STRIDE_TIMES_J.search(r"s\,j - p + d\,m")
    assert not STRIDE_TIMES_J.search(r"j = s i - p + d m") and not STRIDE_TIMES_J.search("i s + j")
    assert DILATION_TIMES_POSITION.search("d j + s m") and not DILATION_TIMES_POSITION.search("d m")
    assert C_ROW_J.search("C[j, i]") and not C_ROW_J.search(r"C^{\mathsf T}[j, i]")
    assert kernel_uses("w_m y_i", "w") and not kernel_uses(r"\bar w", "w")


# ---------------------------------------------------------------------------
# Every symbol in prose is math
# ---------------------------------------------------------------------------

#: ASCII math in prose: comparisons, floor/ceil calls, a spaced product, and a lone symbol
#: letter (n k s p d i j m) between spaces or punctuation. Words of English that look like
#: a lone letter are removed first (ALLOWED).
ASCII_MATH = re.compile(r"<=|>=|!=|\bfloor\(|\bceil\(|\s\*\s"
                        r"|(?<![\w'’\\.-])[nkspdijm](?![\w'’(-])")
#: English and citations that contain a lone letter: "i.e.", "e.g.", plurals "(s)",
#: "p." (page), "s'" is a symbol (caught above), "a" and "I" are not among the letters.
ALLOWED = re.compile(r"\bi\.e\.|\be\.g\.|\(s\)|\bp\.\s?\d")

def prose_runs_latex(tex: str) -> list[str]:
    r"""The prose of a LaTeX proof: the document without display math (``\[...\]``,
    ``$$...$$``, environments), inline ``$...$`` and ``\texttt{...}``."""
    body = tex.split(r"\begin{document}")[-1]
    body = re.sub(r"\\begin\{(\w+\*?)\}.*?\\end\{\1\}", " ", body, flags=re.S)
    body = re.sub(r"\\\[.*?\\\]|\$\$.*?\$\$", " ", body, flags=re.S)
    body = re.sub(r"(?<!\\)\$.*?(?<!\\)\$", " ", body, flags=re.S)
    body = re.sub(r"\\texttt\{(?:[^{}]|\{[^{}]*\})*\}", " ", body)
    body = re.sub(r"\\symconvscript\{[^}]*\}", " ", body)
    body = re.sub(r"\\[A-Za-z]+\*?", " ", body)  # commands: their arguments are prose
    return [run for run in re.split(r"\n\s*\n", body) if run.strip()]


def prose_runs_markdown(md: str) -> list[str]:
    """The prose of a Markdown proof: without ``$$`` blocks, ``$...$`` and code spans."""
    md = re.sub(r"\$\$.*?\$\$", " ", md, flags=re.S)
    md = re.sub(r"(?<!\\)\$.*?(?<!\\)\$", " ", md)
    md = re.sub(r"`[^`]*`", " ", md)
    md = md.replace("\\", "")
    return [run for run in re.split(r"\n\s*\n", md) if run.strip()]


def ascii_math(runs: list[str]) -> list[str]:
    """Each ASCII-math pattern found in the prose runs, with its context."""
    found = []
    for run in runs:
        clean = ALLOWED.sub(" ", run)
        for hit in ASCII_MATH.finditer(clean):
            found.append(clean[max(0, hit.start() - 30):hit.end() + 30].replace("\n", " "))
    return found


def step_prose_ascii_math(proof) -> list[str]:
    """ASCII math in the steps' prose only: no statement, no parameters, the conclusion cut
    off (the evidence sentence quotes the domain as the catalogue states it)."""
    bare = dataclasses.replace(proof, statement="", statement_latex="", parameters={})
    tex = proof_latex(bare, standalone=True).split(r"\paragraph{Conclusion.}")[0]
    md = proof_markdown(bare).split("**Conclusion.**")[0]
    return ascii_math(prose_runs_latex(tex)) + ascii_math(prose_runs_markdown(md))


@pytest.mark.parametrize("name", NAMES)
def test_step_prose_has_no_ascii_math(proofs, name):
    found = step_prose_ascii_math(proofs[name])
    assert found == [], found[:20]


@pytest.mark.parametrize("name", sorted(REFUTED))
def test_refuted_proofs_step_prose_has_no_ascii_math(name):
    found = step_prose_ascii_math(REFUTED[name]())
    assert found == [], found[:20]


def test_the_prose_check_catches_ascii_math_and_spares_english():
    runs = prose_runs_latex(r"\begin{document}for every k, and a <= b; i.e. $n$ here"
                            r" \texttt{p} and floor(a/s) or I, a")
    hits = ascii_math(runs)
    assert any("every k," in hit for hit in hits) and any("<=" in hit for hit in hits)
    assert any("floor(" in hit for hit in hits) and not any("$n$" in hit for hit in hits)
    assert ascii_math(["a window, i.e. one row; a matrix I, window(s)"]) == []
    assert ascii_math(["n - d(k-1) inputs"]) and ascii_math(["out <= n"])


# ---------------------------------------------------------------------------
# Command-line options in LaTeX prose: two hyphens, never TeX's en-dash ligature
# ---------------------------------------------------------------------------

#: An option written ``--full`` in the LaTeX source: TeX sets its ``--`` as an en dash.
BARE_OPTION = re.compile(r"(?<![-{}])--(?=[A-Za-z])")


def latex_outside_math(tex: str) -> str:
    """The LaTeX source without its math (display environments, ``\\[..\\]``, ``$..$``)."""
    tex = re.sub(r"\\begin\{(\w+\*?)\}.*?\\end\{\1\}", " ", tex, flags=re.S)
    tex = re.sub(r"\\\[.*?\\\]|\$\$.*?\$\$", " ", tex, flags=re.S)
    return re.sub(r"(?<!\\)\$.*?(?<!\\)\$", " ", tex, flags=re.S)


@pytest.mark.parametrize("name", NAMES)
def test_latex_prose_sets_command_line_options_as_two_hyphens(proofs, name):
    from symconv.render.brief import brief

    for proof in (proofs[name], brief(proofs[name])):
        tex = latex_outside_math(proof_latex(proof, standalone=True))
        bare = [tex[max(0, hit.start() - 30):hit.end() + 20] for hit in BARE_OPTION.finditer(tex)]
        assert bare == [], bare


def test_options_in_prose_are_typewriter_text_with_two_hyphens():
    from symconv.render.escape import prose_latex

    tex = prose_latex("the full derivation (--full on the command line), --smt FILE; a -- b")
    assert r"\texttt{-{}-full}" in tex and r"\texttt{-{}-smt}" in tex and "a -- b" in tex
    assert BARE_OPTION.search(latex_outside_math(tex)) is None
    assert BARE_OPTION.search("(--full on)") and not BARE_OPTION.search(r"\texttt{-{}-full}")
