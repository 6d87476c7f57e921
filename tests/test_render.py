"""Rendering: LaTeX compiles, Markdown math renders in KaTeX, figures, atomic files."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sympy

import symconv as sc
from symconv.errors import SymconvError
from symconv.formula import check_formula
from symconv.geometry import Geometry
from symconv.operators import avg_pool, correlation
from symconv.proof import Display, Math, Proof, Step
from symconv.render import files
from symconv.render.figures import (
    sliding_window_svg,
    sliding_window_tikz,
    sparsity_array,
    sparsity_svg,
    sparsity_tikz,
)
from symconv.render.latex import (
    notes_latex,
    operator_latex,
    proof_latex,
    proof_repr_latex,
    sentence_latex,
)
from symconv.render.markdown import (
    formulas,
    notes_markdown,
    proof_markdown,
    sentence_markdown,
)
from symconv.theorems.common import correlation_index

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
PDFLATEX = shutil.which("pdflatex")
NODE = shutil.which("node")
KATEX = (ROOT / "node_modules" / "katex").is_dir()


def _awkward_proof() -> Proof:
    """A proof whose prose and values exercise every escape and the wide-matrix path."""
    k = sympy.Matrix(3, 40, lambda i, j: sympy.Symbol(f"k_{{{i},{j},0,0}}") if (i + j) % 3
                     else 0)
    return Proof("odd_name_#1", "C^T has 100% & {braces} ~ _x_ <a> | b -> c, x ≤ y, Cᵀ.",
                 r"C^{\mathsf T} \ne C", {"input_shape": (3, 40), "padding": "same"}, "refuted",
                 [], counterexample={"n": 1, "C^T": " + ".join(f"k_{{{i}}}*x_{{{i}}}"
                                                                   for i in range(30)),
                                     "note": "statement fails", "position": (0, 1),
                                     "why": "the window (size 3) > the padded input (2)"},
                 steps=[Step("Wide * matrix [1]", "Look: $k_m\\,y_j$ and 5$ and \\ back.",
                             (Display("C", k), Math("a = b", "a = b"))),
                        Step("Vector", "", (Display("y", sympy.Matrix(20, 1, range(20))),))])


def _all_proofs() -> list[Proof]:
    proofs = [sc.prove(t["name"], exhaustive=False) for t in sc.theorems()]
    proofs.append(sc.prove("transpose", input_shape=(4, 4), kernel_shape=(3, 3), stride=2,
                           padding=1, exhaustive=False))
    proofs.append(check_formula("floor((n + 2*p - k)/s) + 1", quantity="output_size"))
    proofs.append(_awkward_proof())
    return proofs


@pytest.fixture(scope="module")
def proofs() -> list[Proof]:
    return _all_proofs()


# ---------------------------------------------------------------------------
# LaTeX
# ---------------------------------------------------------------------------

def _compile(tmp_path: Path, tex: str, name: str = "doc") -> str:
    """The log of compiling ``tex`` with the engine the notes use (XeLaTeX for CJK text)."""
    (tmp_path / f"{name}.tex").write_text(tex, encoding="utf-8")
    engine = shutil.which(files.tex_engine(tex))
    run = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
                         cwd=tmp_path, capture_output=True, timeout=120, check=False)
    log = (tmp_path / f"{name}.log").read_text(encoding="latin-1")
    assert run.returncode == 0, files.first_error(log)
    return log


def _overfull(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("Overfull")]


@pytest.mark.skipif(PDFLATEX is None, reason="pdflatex not installed")
def test_every_theorem_compiles_without_overfull_boxes(proofs, tmp_path):
    figures = [None] * (len(proofs) - 1) + [sparsity_array(correlation(Geometry((6, 6), (3, 3))))]
    log = _compile(tmp_path, notes_latex(proofs, "All theorems", figures))
    overfull = [line for line in log.splitlines() if line.startswith("Overfull")]
    assert not overfull, overfull


@pytest.mark.skipif(PDFLATEX is None, reason="pdflatex not installed")
def test_standalone_single_proof_compiles(proofs, tmp_path):
    log = _compile(tmp_path, proof_latex(proofs[-1], standalone=True))
    assert "Overfull" not in log


def test_standalone_document_has_the_required_preamble(proofs):
    tex = proof_latex(proofs[0], standalone=True)
    assert tex.startswith(r"\documentclass{article}")
    assert r"\usepackage{amsmath,amssymb}" in tex and tex.endswith("\\end{document}\n")
    assert r"\documentclass" not in proof_latex(proofs[0])


def test_conclusion_states_the_evidence_exactly(proofs):
    for proof in proofs:
        assert sentence_latex(proof.evidence_sentence()) in proof_latex(proof)
        assert sentence_markdown(proof.evidence_sentence()) in proof_markdown(proof)


def test_refuted_claim_shows_counterexample_with_both_sides():
    proof = check_formula("floor((n + 2*p - k)/s) + 1", quantity="output_size")
    tex = proof_latex(proof)
    assert r"\paragraph{Smallest counterexample.}" in tex
    for key, value in proof.counterexample.items():
        assert rf"\texttt{{{key}}} $= {value}$" in tex


def test_prose_is_escaped_outside_math_and_kept_inside():
    tex = proof_latex(_awkward_proof())
    assert r"odd\_name\_\#1" in tex
    assert r"100\% \& \{braces\} \textasciitilde{} \_x\_ $<$a$>$ $|$ b $\to$ c" in tex
    assert r"$k_m\,y_j$" in tex and r"5\$ and \textbackslash{} back" in tex
    assert r"Cᵀ" not in tex and r"C^{\mathsf T}" in tex


def test_wide_matrices_are_elided_to_ten_columns(proofs):
    tex = proof_latex(_awkward_proof())
    matrix = tex[tex.index(r"C &= \begin{bmatrix}"):]
    first_row = matrix[:matrix.index(r"\\")]
    assert first_row.count("&") - 1 <= 9 and r"\cdots" in first_row


def test_output_is_byte_identical_on_two_runs():
    first = [proof_latex(p, standalone=True) + proof_markdown(p) for p in _all_proofs()]
    second = [proof_latex(p, standalone=True) + proof_markdown(p) for p in _all_proofs()]
    assert first == second


# ---------------------------------------------------------------------------
# Markdown and KaTeX
# ---------------------------------------------------------------------------

@pytest.mark.skipif(NODE is None or not KATEX, reason="node or node_modules/katex missing")
def test_every_markdown_formula_renders_in_katex(proofs):
    markdown = notes_markdown(proofs, "All theorems") + "\n".join(
        proof_repr_latex(p).strip("$") for p in proofs[:1])
    found = [{"tex": tex, "display": display} for tex, display in formulas(markdown)]
    found.append({"tex": operator_latex(correlation(Geometry((5, 5), (3, 3)))),
                  "display": True})
    assert len(found) > 10 * len(proofs) // 2
    run = subprocess.run([NODE, str(ROOT / "tests" / "katex_render.js")], cwd=ROOT,
                         input=json.dumps(found), capture_output=True, text=True, timeout=120,
                         check=True)
    assert json.loads(run.stdout) == []


def test_markdown_display_math_sits_on_its_own_lines(proofs):
    for proof in proofs:
        lines = proof_markdown(proof).splitlines()
        for line in lines:
            if "$$" in line:
                assert line == "$$", line
        assert lines.count("$$") % 2 == 0
        assert not any(bad in proof_markdown(proof)
                       for bad in (r"\begin{align*}", r"\cline", r"\multicolumn"))


def test_markdown_escapes_prose():
    md = proof_markdown(_awkward_proof())
    assert r"odd_name_#1" in md  # inside a code span: literal
    assert r"\_x\_ \<a\> \| b" in md and r"**Wide \* matrix \[1\].**" in md


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("op", [
    correlation(Geometry((5, 5), (3, 3), stride=2, padding=1)),
    correlation(Geometry((7,), (3,), dilation=2), in_channels=2, out_channels=3),
    avg_pool((4, 4), (2, 2)),
], ids=["2d", "channels", "avg_pool"])
def test_sparsity_svg_has_one_filled_cell_per_nonzero(op):
    root = ET.fromstring(sparsity_svg(op))
    entries = root.findall(f".//{SVG}rect[@class='entry']")
    assert len(entries) == op.nnz
    assert {(int(e.get("x")), int(e.get("y"))) for e in entries}.__len__() == op.nnz
    legend = root.findall(f".//{SVG}rect[@class='legend']")
    assert len(legend) == len(set(op.taps.tolist()))
    assert sparsity_tikz(op).count(r"\fill[") == op.nnz + len(legend)


@pytest.mark.parametrize("g, position", [
    (Geometry((5, 5), (3, 3), stride=2, padding=1), (1, 2)),
    (Geometry((6, 7), (2, 3), stride=(1, 2), padding=((0, 1), (2, 0)), dilation=2), (0, 1)),
    (Geometry((6,), (3,), padding=1, dilation=2), (0, 3)),
])
def test_sliding_window_svg_counts(g, position):
    root = ET.fromstring(sliding_window_svg(g, position))

    def count(kind: str) -> int:
        return len(root.findall(f".//{SVG}rect[@class='{kind}']"))

    padded = 1
    spatial = 1
    for n, (b, a) in zip(g.input_shape, g.pads):
        padded *= n + b + a
        spatial *= n
    assert count("input") == spatial and count("pad") == padded - spatial
    kernel = 1
    for k in g.kernel_shape:
        kernel *= k
    outputs = 1
    for o in g.output_shape:
        outputs *= o
    assert count("window") == kernel and count("current") == 1
    assert count("output") == outputs - 1
    assert sliding_window_tikz(g, position).count("orange!70") == kernel + 1


def test_sliding_window_rejects_a_position_outside_the_output():
    with pytest.raises(SymconvError, match="position"):
        sliding_window_svg(Geometry((4, 4), (3, 3)), (2, 0))


def test_figures_are_deterministic():
    op = correlation(Geometry((4, 4), (3, 3), stride=2))
    assert sparsity_svg(op) == sparsity_svg(correlation(Geometry((4, 4), (3, 3), stride=2)))


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------

def test_write_atomic_replaces_and_leaves_no_temp(tmp_path):
    target = tmp_path / "notes.tex"
    files.write_atomic(target, "old\n")
    files.write_atomic(target, "new\n")
    assert target.read_text() == "new\n" and os.listdir(tmp_path) == ["notes.tex"]


def test_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "notes.md"
    target.write_text("old\n")

    def boom(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomic(target, "new text " * 1000)
    assert target.read_text() == "old\n" and os.listdir(tmp_path) == ["notes.md"]


def test_failed_replace_raises_symconv_error_and_cleans_up(tmp_path, monkeypatch):
    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(SymconvError, match="No space left on device"):
        files.write_atomic(tmp_path / "a.tex", "x")
    assert os.listdir(tmp_path) == []


def test_unwritable_path_raises_symconv_error_naming_it(tmp_path):
    missing = tmp_path / "no" / "such" / "dir" / "a.tex"
    with pytest.raises(SymconvError, match=r"cannot write .*a\.tex: No such file"):
        files.write_atomic(missing, "x")


def test_write_notes_writes_every_file(proofs, tmp_path):
    topic = [proofs[-3], proofs[-2]]
    written = files.write_notes(topic, tmp_path, "topic", title="Transpose", pdf=False)
    names = [p.name for p in written]
    assert names == ["topic.tex", "topic.md", "topic.svg"]
    md = (tmp_path / "topic.md").read_text()
    assert "](topic.svg)" in md and md.count("\n## ") == 2
    ET.fromstring((tmp_path / "topic.svg").read_text())
    assert sorted(os.listdir(tmp_path)) == sorted(names)


@pytest.mark.skipif(PDFLATEX is None, reason="pdflatex not installed")
def test_write_notes_compiles_the_pdf(proofs, tmp_path):
    written = files.write_notes(proofs[-3], tmp_path, "one")
    assert written[-1].name == "one.pdf" and written[-1].read_bytes().startswith(b"%PDF")


@pytest.mark.skipif(PDFLATEX is None, reason="pdflatex not installed")
def test_failed_compile_quotes_the_first_error():
    with pytest.raises(SymconvError, match=r"Undefined control sequence"):
        files.compile_pdf("\\documentclass{article}\\begin{document}\\nosuchmacro\\end{document}")


# ---------------------------------------------------------------------------
# Jupyter helpers
# ---------------------------------------------------------------------------

def test_operator_latex_is_an_elided_bmatrix():
    latex = operator_latex(correlation(Geometry((6, 6), (3, 3))))
    assert latex.startswith(r"\begin{bmatrix}") and r"\cdots" in latex


def test_proof_repr_latex_is_math_only(proofs):
    latex = proof_repr_latex(proofs[0])
    assert latex.startswith("$$") and latex.endswith("$$") and r"\paragraph" not in latex


def test_pdf_is_byte_identical_on_two_compiles():
    import shutil

    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed")
    from symconv.render.files import compile_pdf

    tex = r"\documentclass{article}\begin{document}Same input, same bytes.\end{document}"
    assert compile_pdf(tex) == compile_pdf(tex)


def test_step_titles_keep_their_math():
    # a proof for all sizes split into cases titles each case with its hypothesis in $...$
    proof = sc.prove("transposed-output-size")
    titles = [step.title for step in proof.steps if step.title.startswith("Case $")]
    assert titles
    tex, md = proof_latex(proof), proof_markdown(proof)
    assert r"\paragraph{Case $" in tex and r"Case \$" not in tex
    assert "**Case $" in md and r"Case \$" not in md


# ---------------------------------------------------------------------------
# The correlation index rule, as rendered, is the matrix (dilation included)
# ---------------------------------------------------------------------------

RULE_PLAIN = re.compile(r"m = \(j - (\d+)\*i \+ (\d+)\)/(\d+) if that is an integer in "
                        r"0\.\.(\d+)-1")
RULE_LATEX = re.compile(r"m = \\frac\{j - (\d+)\\,i \+ (\d+)\}\{(\d+)\} \\in "
                        r"\\\{0, \\dots, (\d+)-1\\\}")


def _tap(i: int, j: int, s: int, p: int, d: int, taps: int) -> int | None:
    """The kernel tap the parsed rule puts at (i, j), or None for a structural zero."""
    offset = j - s * i + p
    if offset % d or not 0 <= offset // d < taps:
        return None
    return offset // d


@pytest.mark.parametrize("n, k, s, p", [(9, 3, 1, 0), (9, 3, 2, 1), (10, 2, 3, 2), (7, 3, 1, 2)])
@pytest.mark.parametrize("pattern, form", [(RULE_PLAIN, "plain"), (RULE_LATEX, "latex")])
def test_correlation_index_rule_rendered_at_dilation_2_is_the_matrix(n, k, s, p, pattern, form):
    op = correlation(Geometry((n,), (k,), stride=s, padding=p, dilation=2))
    rendered = getattr(correlation_index(s, p, 2, k), form)
    found = pattern.search(rendered)
    assert found, rendered
    rule = tuple(map(int, found.groups()))
    assert rule == (s, p, 2, k)
    for i in range(op.matrix.rows):
        for j in range(op.matrix.cols):
            m = _tap(i, j, *rule)
            assert op.matrix[i, j] == (0 if m is None else op.kernel_flat[m]), (i, j)


def test_transpose_derivation_prints_the_rule_with_the_dilation():
    p = sc.prove("transpose")
    assert r"\frac{j - s\,i + p}{d}" in p.latex()
    assert r"\frac{j - s\,i + p}{d}" in p.markdown()
    assert "m = (j - s*i + p)/d" in p.text()


def test_terminal_text_has_no_latex(proofs):
    from symconv.render.text import proof_text

    *catalogue, awkward = proofs  # the last one writes a literal "5$" and "\\" in prose
    for proof in catalogue:
        text = proof_text(proof)
        leftovers = [line for line in text.splitlines() if "$" in line or "\\" in line]
        assert not leftovers, (proof.theorem, leftovers[:3])
    assert "Cᵀ" in proof_text(proofs[[p.theorem for p in proofs].index("transpose")])
    assert "Look: k_m y_j and 5$" in proof_text(awkward)


def test_brief_keeps_the_verdict_and_leaves_out_only_steps(proofs):
    from symconv.render.brief import brief

    for proof in proofs:
        short = brief(proof)
        assert short.to_dict() | {"steps": None} == proof.to_dict() | {"steps": None}
        titles = [step.title for step in proof.steps]
        kept = [step.title for step in short.steps if step.title != "Full derivation"]
        assert all(title in titles for title in kept), proof.theorem
        assert len(short.steps) <= len(proof.steps) + 1
        if proof.steps:
            assert short.steps[0] == proof.steps[0]
    full = proofs[[p.theorem for p in proofs].index("output-size")]
    assert len(brief(full).steps) < len(full.steps) // 4  # the chains are left out


def test_brief_states_a_certificate_once_and_keeps_an_uncertified_one():
    from symconv.proof import Proof, Step
    from symconv.render.brief import brief

    judge = [Step("Second judge: SMT", "Certified twice: claim a."),
             Step("Second judge: SMT", "Certified twice: claim b."),
             Step("Second judge: SMT", "Not certified: z3 answered unknown for claim c.")]
    proof = Proof("t", "s", "s", {}, "verified", ["exhaustive"], domain="{1}",
                  steps=[Step("Setting", "x"), Step("Chain", "long"), *judge])
    titles_texts = [(s.title, s.text) for s in brief(proof).steps]
    assert titles_texts[1][1].startswith("Certified twice: claim a.")
    assert "each of the 2 claims" in titles_texts[1][1]
    assert ("Second judge: SMT", "Not certified: z3 answered unknown for claim c.") in titles_texts
    assert titles_texts[-1][0] == "Full derivation" and "2 further steps" in titles_texts[-1][1]


def test_cli_prints_the_brief_and_the_full_derivation_on_request(capsys):
    from symconv.cli import main

    assert main(["prove", "output-size"]) == 0
    short = capsys.readouterr().out
    assert main(["prove", "output-size", "--full"]) == 0
    full = capsys.readouterr().out
    assert "-- Full derivation" in short and "-- Full derivation" not in full
    assert short.splitlines()[0] == full.splitlines()[0]  # the verdict line
    assert len(short.splitlines()) * 3 < len(full.splitlines())


def _overlaps(boxes):
    return [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]


@pytest.mark.parametrize("geometry", [
    Geometry((1,), (1,)), Geometry((3,), (2,), padding=1), Geometry((2, 2), (1, 1)),
    Geometry((3, 3), (3, 3), padding=1), Geometry((5, 5), (3, 3), stride=2, padding=1),
    Geometry((4,), (3,), padding="full", dilation=2), Geometry((32, 32), (3, 3), padding=1),
    Geometry((31, 31), (3, 3), stride=1, padding="same"), Geometry((224,), (7,), stride=2,
                                                                   padding=3),
])
def test_notes_figures_have_no_overlapping_labels_and_stay_small(geometry):
    from symconv.render.figures import label_boxes, notes_figure_svg

    svg = notes_figure_svg(geometry, correlation(geometry), (0,) * geometry.ndim)
    ET.fromstring(svg)
    boxes = label_boxes(svg)
    assert len(boxes) >= 3 and not _overlaps(boxes)
    assert len(svg.encode()) < 100_000


def test_a_large_pattern_is_drawn_as_its_corner_with_the_band_stated():
    from symconv.render.figures import CORNER, band_width

    op = correlation(Geometry((31, 31), (3, 3), padding=1))
    svg = sparsity_svg(op)
    root = ET.fromstring(svg)
    drawn = root.findall(f".//{SVG}rect[@class='entry']")
    corner = {(r, c) for r, c in zip(op.rows.tolist(), op.cols.tolist())
              if r < CORNER[0] and c < CORNER[1]}
    assert len(drawn) == len(corner) < op.nnz
    assert f"of the {op.shape[0]} x {op.shape[1]} matrix" in svg
    assert f"at most {band_width(op)} columns" in svg and band_width(op) == 2 * 31 + 3


def test_a_window_tap_on_padding_shows_the_padding_through():
    svg = sliding_window_svg(Geometry((4,), (3,), padding=1), (0,))
    windows = ET.fromstring(svg).findall(f".//{SVG}rect[@class='window']")
    dashed = [w for w in windows if w.get("stroke-dasharray")]
    assert len(windows) == 3 and len(dashed) == 1  # tap 0 reads the left pad


# ---------------------------------------------------------------------------
# The notes of a topic, in both lengths
# ---------------------------------------------------------------------------

def _topic_proofs(derivation_runs, stem: str) -> tuple[list[Proof], str | None, list[Proof]]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("run_all", ROOT / "derivations" / "run_all.py")
    runner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(runner)
    script = ROOT / "derivations" / f"{stem}.py"
    code, recorded = derivation_runs[stem][:2]  # the script's one run per suite
    assert code == 0
    return recorded, runner.introduction(script), runner.briefs(recorded)


# Two topics whose notes ran off the page: a long counterexample in words, a statement
# that is a chain of four equalities, a display whose left side is wide.
@pytest.mark.skipif(PDFLATEX is None, reason="pdflatex not installed")
@pytest.mark.parametrize("stem", ["receptive_fields_and_parameter_sharing",
                                  "transposed_convolution_as_a_claim"])
def test_topic_notes_have_no_overfull_box_in_either_length(derivation_runs, stem, tmp_path):
    recorded, intro, briefs = _topic_proofs(derivation_runs, stem)
    for detail, shown in (("brief", briefs), ("full", recorded)):
        written = files.write_notes(shown, tmp_path / detail, stem, introduction=intro,
                                    detail=detail, pdf=False)
        tex = written[0].read_text(encoding="utf-8")
        assert _overfull(_compile(tmp_path / detail, tex, stem)) == [], detail


def test_brief_notes_state_a_statement_once_and_keep_every_verdict():
    from symconv.render.brief import brief

    briefs = [brief(sc.prove("transpose", exhaustive=False)),
              brief(sc.prove("transpose", input_shape=(4, 4), kernel_shape=(3, 3), stride=2,
                             padding=1, exhaustive=False)),
              brief(sc.prove("flip", exhaustive=False))]
    tex, full = notes_latex(briefs, brief=True), notes_latex(briefs)
    assert tex.count(r"\emph{Stated in Section 1.}") == 1
    assert tex.count(r"\emph{Stated in Section") == 1
    assert tex.count(r"\section{") == full.count(r"\section{") == len(briefs)
    for proof in briefs:
        assert sentence_latex(proof.evidence_sentence()) in tex
    assert tex.count(r"\paragraph{Parameters.}") < full.count(r"\paragraph{Parameters.}")

    def repeated(document: str) -> int:
        return len(displays := re.findall(r"\\\[ .*? \\\]", document, re.S)) - len(set(displays))
    assert repeated(full) > 0 and repeated(tex) == 0
    assert "(Displayed in Section 1.)" in tex


# ---------------------------------------------------------------------------
# Jupyter: the objects display themselves in an executed notebook
# ---------------------------------------------------------------------------

NOTEBOOK = ROOT / "tests" / "notebooks" / "rich_display.ipynb"


@pytest.fixture(scope="module")
def executed_notebook():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT)}})
    client.execute(env={**os.environ, "PYTHONPATH": str(ROOT)})
    return {cell.source.splitlines()[0]: cell.outputs[0]["data"]
            for cell in notebook.cells if cell.cell_type == "code" and cell.outputs}


def _output(executed, start: str) -> dict:
    return next(data for source, data in executed.items() if source.startswith(start))


def test_notebook_geometries_show_their_fields_as_tables(executed_notebook):
    data = _output(executed_notebook, "sc.Geometry(")
    assert "<caption>Geometry</caption>" in data["text/html"]
    assert "<code>(24,)</code>" in data["text/html"]  # a one-element tuple as Python writes it
    assert r"\texttt{output\_shape} & \texttt{(12,)}" in data["text/latex"]
    assert "<code>(6, 6)</code>" in _output(executed_notebook, "sc.TransposedGeometry(")[
        "text/html"]
    assert "<code>(3, 3)</code>" in _output(executed_notebook, "sc.PoolGeometry(")["text/html"]


def test_notebook_max_pool_shows_the_max_of_each_window(executed_notebook):
    latex = _output(executed_notebook, "sc.max_pool(")["text/latex"]
    assert r"\max\left(x_{0,2,2}, x_{0,2,3}, x_{0,3,2}, x_{0,3,3}\right)" in latex


def test_notebook_network_table_is_html_with_the_totals(executed_notebook):
    html = _output(executed_notebook, "NetworkTable(")["text/html"]
    assert html.count("<tr>") == 6 and "<td>6810</td>" in html and "<td>31096</td>" in html


def test_notebook_proof_and_operator_show_latex(executed_notebook):
    assert "proved" in _output(executed_notebook, "sc.prove(")["text/latex"]
    assert r"k_{0,0,0}" in _output(executed_notebook, "sc.correlation(")["text/latex"]


# ---------------------------------------------------------------------------
# Prose typeset: symbols as math, names as code
# ---------------------------------------------------------------------------

#: What is not prose in the LaTeX: inline and display math, typewriter names, the
#: statement's text-in-math values.
_NOT_PROSE = re.compile(r"\$[^$]*\$|\\\[.*?\\\]|\\begin\{(center|aligned)\}.*?\\end\{\1\}"
                        r"|\\texttt\{(?:[^{}]|\{[^{}]*\})*\}", re.S)


def test_prose_of_every_theorem_has_no_bare_underscore(proofs):
    bare = {}
    for proof in proofs[:-1]:  # the awkward proof's prose is garbage on purpose
        prose = _NOT_PROSE.sub("", proof_latex(proof))
        found = re.findall(r"\S*\\_\S*", prose)
        if found:
            bare[proof.theorem] = found
    assert not bare


@pytest.mark.parametrize("text, latex, markdown", [
    ("w_m y_i", "$w_{m}$ $y_{i}$", "$w_{m}$ $y_{i}$"),
    ("p_before", r"$p_{\mathrm{before}}$", r"$p_{\mathrm{before}}$"),
    ("C_out x (C_in/groups)", r"$C_{\mathrm{out}}$ x ($C_{\mathrm{in}}$/groups)",
     r"$C_{\mathrm{out}}$ x ($C_{\mathrm{in}}$/groups)"),
    ("sum_i (C^T)_ji", r"$\sum_{i}$ $(C^T)_{ji}$", r"$\sum_{i}$ $(C^T)_{ji}$"),
    ("softmax(z)_i", r"$\operatorname{softmax}(z)_{i}$", r"$\operatorname{softmax}(z)_{i}$"),
    ("input_shape=(24,)", r"\texttt{input\_shape}=\allowbreak{}(24,\allowbreak{})",
     "`input_shape`=(24,)"),
])
def test_prose_symbols_are_math_and_names_are_code(text, latex, markdown):
    assert sentence_latex(text) == latex
    assert sentence_markdown(text) == markdown


def test_one_element_tuples_are_written_as_the_frameworks_write_them():
    proof = sc.prove("output-size", input_shape=(24,), kernel_shape=(3,), exhaustive=False)
    assert r"\texttt{input\_shape} $= (24,)$" in proof_latex(proof)
    assert "`input_shape` $= (24,)$" in proof_markdown(proof)


@pytest.mark.parametrize("detail", ["short", "", "Brief"])
def test_write_notes_rejects_an_unknown_detail(detail, tmp_path):
    proof = Proof("t", "s", "s", {}, "proved", ["symbolic"])
    with pytest.raises(SymconvError, match=r"detail must be 'full' or 'brief', got"):
        files.write_notes(proof, tmp_path / "notes", "topic", pdf=False, detail=detail)
    assert not (tmp_path / "notes").exists()


@pytest.mark.parametrize(("latex", "shown"), [
    (r"\mathbb E x", "E x"), (r"\mathbb{E}[x]", "E[x]"), (r"n \bmod s", "n mod s")])
def test_terminal_math_drops_font_commands_with_or_without_braces(latex, shown):
    from symconv.render.unicode import terminal_math

    assert terminal_math(latex) == shown
