"""Writing derivations to disk: atomic writes and whole notes (tex, md, svg, pdf).

:func:`write_all` writes the outputs of one command together or not at all: each
to a temporary file in its target's directory, then ``os.replace`` s them over the
targets, so a reader sees the old files or the new ones, never half of one; on
failure or SIGTERM the old files (or none) stay and no temporary file is left.
:func:`check_output_path` refuses an unwritable target before any work starts.
:func:`write_notes` writes a topic of the notes: one
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

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import SymconvError
from ..geometry import Geometry
from ..operators import LinearOperator, correlation
from ..proof import Proof
from .figures import notes_figure_svg, sliding_window_tikz, sparsity_array, sparsity_tikz
from .latex import SCRIPT, notes_latex
from .markdown import notes_markdown

#: Largest matrix side drawn in a notes figure.
FIGURE_LIMIT = 1024
#: Largest matrix side drawn with TikZ (one node per entry); larger ones as an array.
TIKZ_LIMIT = 64
#: Largest matrix shown whole in the brief notes (rows, columns); larger ones are elided.
BRIEF_ROWS, BRIEF_COLS = 6, 6
#: Seconds one pdflatex run may take.
PDFLATEX_TIMEOUT = 120


class Terminated(BaseException):
    """SIGTERM arrived during a write: raised so the temporary files are removed first."""


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """While writing, turn SIGTERM into :class:`Terminated` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: Any) -> None:
        raise Terminated(signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def check_output_path(path: str | os.PathLike[str], option: str = "output") -> Path:
    """Refuse, before any work, a path that cannot be written as a file.

    Parameters
    ----------
    path : path-like
        The target file.
    option : str
        What named it, for the message (``"--latex"``).

    Raises
    ------
    SymconvError
        The directory is missing or not writable, or the path is a directory or a
        read-only file; the message names the option, the path and the rule.

    Examples
    --------
    >>> try:
    ...     check_output_path("/no/dir/a.tex", "--latex")
    ... except SymconvError as error:
    ...     print(str(error).replace(", got", ",\\ngot"))
    --latex must name a file in an existing directory,
    got '/no/dir/a.tex' (/no/dir does not exist)
    """
    target = Path(path)
    folder = target.parent
    reason = None
    if target.is_dir():
        reason = "it is a directory"
    elif not folder.is_dir():
        reason = (f"{folder} does not exist" if not folder.exists() else
                  f"{folder} is not a directory")
    elif not os.access(folder, os.W_OK | os.X_OK):
        reason = f"{folder} is not writable"
    elif target.exists() and not os.access(target, os.W_OK):
        reason = "the file is not writable"
    if reason:
        raise SymconvError(f"{option} must name a file in an existing directory, got "
                           f"{str(path)!r} ({reason})")
    return target


def write_all(outputs: Mapping[str | os.PathLike[str], str | bytes]) -> list[Path]:
    """Write every ``path: data`` of one command together, or none of them.

    Every text is first written to a temporary file in its target's directory; only
    when all are written are they ``os.replace`` d over their targets. On an error
    or SIGTERM before that point no target is touched and every temporary file is
    removed (a SIGTERM is then delivered again, so the process still ends by it).

    Parameters
    ----------
    outputs : mapping of path-like to str or bytes
        Text is written as UTF-8 with ``\\n`` line ends; each directory must exist.

    Returns
    -------
    list of Path
        The targets, in the order given.

    Raises
    ------
    SymconvError
        A file cannot be written; the message names the path and the reason.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = write_all({pathlib.Path(d) / "a.md": "a", pathlib.Path(d) / "b.md": "b"})
    ...     sorted(p.name for p in pathlib.Path(d).iterdir())
    ['a.md', 'b.md']
    """
    targets = [Path(path) for path in outputs]
    if len(set(targets)) != len(targets):
        raise SymconvError(f"outputs must be distinct files, got {[str(t) for t in targets]}")
    temps: list[str] = []
    current = None
    try:
        with _sigterm_raises():
            for current, data in zip(targets, outputs.values()):
                temps.append(_write_temp(current, data))
            for temp, current in zip(temps, targets):
                os.replace(temp, current)
            temps.clear()
    except BaseException as exc:
        _remove(temps)
        if isinstance(exc, Terminated):
            os.kill(os.getpid(), signal.SIGTERM)
        if isinstance(exc, OSError):
            raise SymconvError(f"cannot write {current}: {exc.strerror or exc}") from exc
        raise
    return targets


def _write_temp(target: Path, data: str | bytes) -> str:
    """``data`` in a new temporary file beside ``target`` (with the target's mode)."""
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
    except BaseException:
        _remove([temp])
        raise
    return temp


def _remove(paths: Sequence[str]) -> None:
    for path in paths:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to ``path`` atomically: :func:`write_all` of one file.

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
    return write_all({path: data})[0]


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


def tex_engine(tex: str) -> str:
    """The TeX engine a document needs: ``xelatex`` for text in other scripts, if installed.

    Runs of CJK (or other non-Latin) text are wrapped in :data:`~symconv.render.latex.SCRIPT`;
    pdflatex shows a placeholder for them, XeLaTeX sets them in a CJK font. Without
    ``xelatex`` on ``PATH`` the document still compiles with pdflatex, placeholders and all.

    Examples
    --------
    >>> tex_engine("plain text")
    'pdflatex'
    """
    if SCRIPT + "{" in tex and shutil.which("xelatex"):
        return "xelatex"
    return "pdflatex"


def compile_pdf(tex: str, name: str = "notes") -> bytes:
    """Compile a standalone LaTeX document in a temporary directory.

    The engine is :func:`tex_engine`'s (pdflatex, or XeLaTeX for non-Latin text). Runs
    ``<engine> -interaction=nonstopmode -halt-on-error``, a second time only when the
    log asks for a rerun.

    Raises
    ------
    SymconvError
        When the engine is missing or fails; the message quotes the log's first error line.
    """
    engine = tex_engine(tex)
    program = shutil.which(engine)
    if program is None:
        raise SymconvError(f"cannot compile {name}.pdf: {engine} is not on PATH")
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
                raise SymconvError(f"{engine} on {name}.tex took longer than "
                                   f"{PDFLATEX_TIMEOUT} s") from exc
            log_path = Path(work) / f"{name}.log"
            log = log_path.read_text(encoding="latin-1") if log_path.exists() else ""
            pdf = Path(work) / f"{name}.pdf"
            if run.returncode != 0 or not pdf.exists():
                raise SymconvError(f"{engine} failed on {name}.tex: {first_error(log)}")
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
                stem: str, title: str | None = None, pdf: bool | None = None,
                introduction: str | None = None, detail: str = "full") -> list[Path]:
    """Write a topic of the notes: ``<stem>.tex``, ``<stem>.md``, figures, ``<stem>.pdf``.

    The brief notes (``detail="brief"``) draw one figure per topic (the first layer),
    elide matrices beyond :data:`BRIEF_ROWS` x :data:`BRIEF_COLS` and state a statement
    once (a later section with the same statement names the first); their proofs are
    expected to be :func:`~symconv.render.brief.brief` already.

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
    introduction : str, optional
        Prose after the title (a proof script's docstring: the notes' claims, quoted as
        written; Chinese text is set by XeLaTeX where it is installed).
    detail : {"full", "brief"}
        The length of the notes (see above).

    Returns
    -------
    list of Path
        The files written (all together, or none), in the order tex, md, svg..., pdf.

    Raises
    ------
    SymconvError
        ``detail`` is not ``"full"`` or ``"brief"`` (before anything is written), a file
        cannot be written, or pdflatex fails (with the log's first error).
    """
    proofs = [proofs] if isinstance(proofs, Proof) else list(proofs)
    if detail not in ("full", "brief"):
        raise SymconvError(f"detail must be 'full' or 'brief', got {detail!r}")
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SymconvError(f"cannot write {folder}: {exc.strerror or exc}") from exc
    brief = detail == "brief"
    layers = [layer_of(p) for p in proofs]
    if brief:
        first = next((i for i, layer in enumerate(layers) if layer is not None), None)
        layers = [layer if i == first else None for i, layer in enumerate(layers)]
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
    size = {"max_rows": BRIEF_ROWS, "max_cols": BRIEF_COLS} if brief else {}
    tex = notes_latex(proofs, title, tex_figures, introduction=introduction, brief=brief,
                      **size)
    markdown = notes_markdown(proofs, title, md_figures, introduction=introduction,
                              brief=brief, **size)
    outputs: dict[Path, str | bytes] = {folder / f"{stem}.tex": tex,
                                        folder / f"{stem}.md": markdown}
    outputs.update({folder / name: svg for name, svg in svgs.items()})
    if pdf or (pdf is None and shutil.which("pdflatex")):
        outputs[folder / f"{stem}.pdf"] = compile_pdf(tex, stem)
    return write_all(outputs)


def _markdown_figure(proof: Proof, name: str) -> str:
    alt = (f"The layer of {proof.theorem}: the kernel window at output position 0 on the "
           "padded input (dashed cells are padding), and the sparsity pattern of C coloured "
           "by kernel tap")
    return f"![{alt}]({name})"
