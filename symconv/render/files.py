"""Writing derivations to disk: atomic writes and whole notes (tex, md, svg, pdf).

:func:`write_atomic` writes to a temporary file in the target's directory and
``os.replace`` s it over the target, so a reader sees the old file or the new
one, never half of one; on failure the old file (or none) stays and no
temporary file is left. :func:`write_notes` writes a topic of the notes: one
section per proof in ``<stem>.tex`` (standalone) and ``<stem>.md``, the
figures as ``<stem>.svg`` (``<stem>-2.svg``, ... for later proofs), and
``<stem>.pdf`` when ``pdflatex`` is on ``PATH``.

Examples
--------
>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     target = write_atomic(pathlib.Path(d) / "a.txt", "hello\\n")
...     print(target.read_text(), sorted(p.name for p in pathlib.Path(d).iterdir()))
hello
 ['a.txt']
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import SymconvError
from ..geometry import Geometry
from ..operators import LinearOperator, correlation
from ..proof import Proof
from .figures import notes_figure_svg, sliding_window_tikz, sparsity_array, sparsity_tikz
from .latex import notes_latex
from .markdown import notes_markdown

#: Largest matrix side drawn in a notes figure.
FIGURE_LIMIT = 1024
#: Largest matrix side drawn with TikZ (one node per entry); larger ones as an array.
TIKZ_LIMIT = 64
#: Seconds one pdflatex run may take.
PDFLATEX_TIMEOUT = 120


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file, then ``os.replace``).

    Parameters
    ----------
    path : path-like
        The target; its directory must exist.
    data : str or bytes
        Text is written as UTF-8 with ``\\n`` line ends.

    Returns
    -------
    Path
        The target.

    Raises
    ------
    SymconvError
        When the file cannot be written; the message names the path and the reason.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise SymconvError(f"cannot write {target}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, _mode(target))
        os.replace(temp, target)
    except BaseException as exc:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise SymconvError(f"cannot write {target}: {exc.strerror or exc}") from exc
        raise
    return target


def _mode(target: Path) -> int:
    """The existing file's permissions, else the usual ``0o666`` less the umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


#: pdflatex stamps the PDF with the time and a random ID unless told otherwise: the same
#: notes must give byte-identical files.
REPRODUCIBLE_ENV = {**os.environ, "SOURCE_DATE_EPOCH": "0", "FORCE_SOURCE_DATE": "1"}


def compile_pdf(tex: str, name: str = "notes") -> bytes:
    """Compile a standalone LaTeX document with ``pdflatex`` in a temporary directory.

    Runs ``pdflatex -interaction=nonstopmode -halt-on-error``, a second time
    only when the log asks for a rerun.

    Raises
    ------
    SymconvError
        When ``pdflatex`` is missing or fails; the message quotes the log's first error line.
    """
    program = shutil.which("pdflatex")
    if program is None:
        raise SymconvError(f"cannot compile {name}.pdf: pdflatex is not on PATH")
    with tempfile.TemporaryDirectory(prefix="symconv-") as work:
        source = Path(work) / f"{name}.tex"
        source.write_text(tex, encoding="utf-8")
        for _ in range(2):
            try:
                run = subprocess.run([program, "-interaction=nonstopmode", "-halt-on-error",
                                      "-no-shell-escape", source.name], cwd=work,
                                     capture_output=True, timeout=PDFLATEX_TIMEOUT, check=False,
                                     env=REPRODUCIBLE_ENV)
            except subprocess.TimeoutExpired as exc:
                raise SymconvError(f"pdflatex on {name}.tex took longer than "
                                   f"{PDFLATEX_TIMEOUT} s") from exc
            log_path = Path(work) / f"{name}.log"
            log = log_path.read_text(encoding="latin-1") if log_path.exists() else ""
            pdf = Path(work) / f"{name}.pdf"
            if run.returncode != 0 or not pdf.exists():
                raise SymconvError(f"pdflatex failed on {name}.tex: {first_error(log)}")
            if "Rerun to get" not in log:
                break
        return pdf.read_bytes()


def first_error(log: str) -> str:
    """The first ``!`` error of a TeX log, with its ``l.<n>`` context line.

    Examples
    --------
    >>> first_error("x\\n! Undefined control sequence.\\nl.7 \\\\foo\\n")
    'Undefined control sequence. (l.7 \\\\foo)'
    >>> first_error("")
    'no error line in the log'
    """
    lines = log.splitlines()
    for at, line in enumerate(lines):
        if line.startswith("!"):
            where = next((s.strip() for s in lines[at + 1:at + 12] if re.match(r"l\.\d+", s)),
                         None)
            return line[1:].strip() + (f" ({where})" if where else "")
    return "no error line in the log"


def layer_of(proof: Proof) -> tuple[Geometry, LinearOperator] | None:
    """The 1-D or 2-D single-channel layer a proof's parameters describe, if any."""
    point = proof.parameters
    if "input_shape" not in point or "kernel_shape" not in point:
        return None
    try:
        g = Geometry(point["input_shape"], point["kernel_shape"], point.get("stride", 1),
                     point.get("padding", 0), point.get("dilation", 1))
    except (SymconvError, TypeError):
        return None
    if g.ndim > 2:
        return None
    op = correlation(g)
    return (g, op) if max(op.shape) <= FIGURE_LIMIT else None


def tex_figure(g: Geometry, op: LinearOperator) -> str:
    """TikZ (the sliding window and the sparsity pattern) when pgf is there, else an array.

    The choice is made when the document compiles (``\\symconvfigure`` in the preamble),
    so the same .tex works with and without pgf. Large operators get the array only.
    """
    array = sparsity_array(op)
    if max(op.shape) > TIKZ_LIMIT:
        return array
    tikz = (sliding_window_tikz(g, (0,) * g.ndim) + "\n\\quad\n" + sparsity_tikz(op))
    return "\\symconvfigure{%\n" + tikz + "}{%\n" + array + "}"


def _figure_name(stem: str, index: int) -> str:
    return f"{stem}.svg" if index == 0 else f"{stem}-{index + 1}.svg"


def write_notes(proofs: Proof | Sequence[Proof], directory: str | os.PathLike[str],
                stem: str, title: str | None = None, pdf: bool | None = None) -> list[Path]:
    """Write a topic of the notes: ``<stem>.tex``, ``<stem>.md``, figures, ``<stem>.pdf``.

    Parameters
    ----------
    proofs : Proof or sequence of Proof
        One section per proof.
    directory : path-like
        Created if missing.
    stem : str
        File name without extension.
    title : str, optional
        A title above the sections.
    pdf : bool, optional
        Compile the PDF; default: when ``pdflatex`` is on ``PATH``.

    Returns
    -------
    list of Path
        The files written, in the order tex, md, svg..., pdf.

    Raises
    ------
    SymconvError
        A file cannot be written, or pdflatex fails (with the log's first error).
    """
    proofs = [proofs] if isinstance(proofs, Proof) else list(proofs)
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SymconvError(f"cannot write {folder}: {exc.strerror or exc}") from exc
    layers = [layer_of(p) for p in proofs]
    svgs: dict[str, str] = {}
    tex_figures: list[str | None] = []
    md_figures: list[str | None] = []
    for index, (proof, layer) in enumerate(zip(proofs, layers)):
        if layer is None:
            tex_figures.append(None)
            md_figures.append(None)
            continue
        g, op = layer
        name = _figure_name(stem, index)
        svgs[name] = notes_figure_svg(g, op, (0,) * g.ndim)
        tex_figures.append(r"\paragraph{Figure.}\mbox{}\par" + "\n" + tex_figure(g, op))
        md_figures.append(_markdown_figure(proof, name))
    written = [write_atomic(folder / f"{stem}.tex", notes_latex(proofs, title, tex_figures)),
               write_atomic(folder / f"{stem}.md", notes_markdown(proofs, title, md_figures))]
    written += [write_atomic(folder / name, svg) for name, svg in svgs.items()]
    if pdf or (pdf is None and shutil.which("pdflatex")):
        written.append(write_atomic(folder / f"{stem}.pdf",
                                    compile_pdf(written[0].read_text(encoding="utf-8"), stem)))
    return written


def _markdown_figure(proof: Proof, name: str) -> str:
    alt = (f"The layer of {proof.theorem}: the kernel window at output position 0 on the "
           "padded input (dashed cells are padding), and the sparsity pattern of C coloured "
           "by kernel tap")
    return f"![{alt}]({name})"
