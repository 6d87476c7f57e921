"""Run every proof script in this folder and write the notes folder.

For each script ``derivations/<topic>.py`` this runs the script (its derivations
print to the terminal), records every proof the script asked ``symconv.prove`` (or
``symconv.check``) for, and writes ``<notes>/brief/<topic>.tex`` (the brief rendering: statement,
verdict, one example, the claims) and ``<notes>/full/<topic>.tex`` (every step),
each with ``.md``, the ``.svg`` figures and, when pdflatex is present, the
``.pdf``. Exits non-zero if any script's claims failed.

Usage: ``python derivations/run_all.py [--notes DIR] [--quiet] [--detail brief|full|both]``
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import json
import re
import runpy
import sys
import time
from pathlib import Path

import symconv
import symconv.theorems
from symconv.errors import SymconvError
from symconv.render.brief import DETAILS, brief
from symconv.render.files import write_notes

HERE = Path(__file__).resolve().parent


def scripts() -> list[Path]:
    """The proof scripts, in name order (this runner excluded)."""
    return sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name)


def run_recording(script: Path, quiet: bool) -> tuple[int, list[symconv.Proof]]:
    """Run ``script`` as ``__main__``; return its exit code and the proofs it made."""
    recorded: list[symconv.Proof] = []
    original, original_check = symconv.prove, symconv.check

    def recording(name: str, **parameters):
        proof = original(name, **parameters)
        recorded.append(proof)
        return proof

    def recording_check(claim: str, **options):
        proof = original_check(claim, **options)
        recorded.append(proof)
        return proof

    symconv.prove = symconv.theorems.prove = recording
    symconv.check = recording_check
    sink = io.StringIO() if quiet else sys.stdout
    try:
        with contextlib.redirect_stdout(sink):
            runpy.run_path(str(script), run_name="__main__")
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        symconv.prove = symconv.theorems.prove = original
        symconv.check = original_check
    return code, _unique(recorded)


def introduction(script: Path) -> str | None:
    """The script's docstring without its first line and its "Run ..." paragraph.

    That is the topic's claims from the notes, quoted as the seeds write them; the
    notes open with it.
    """
    doc = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8")))
    if not doc:
        return None
    body = doc.split("\n\n", 1)[1] if "\n\n" in doc else ""
    body = re.sub(r"Run:?\s+``python derivations/[^`]+``;.*?\.(?=\s|$)", "", body, flags=re.S)
    return body.strip() or None


#: A script that sweeps a theorem over many points gets its first few in the notes.
PER_THEOREM = 3


def _name(proof: symconv.Proof) -> str:
    """What a proof is about: its theorem, or for a user's claim its statement."""
    return proof.statement if proof.theorem == "claim" else proof.theorem


def _unique(proofs: list[symconv.Proof]) -> list[symconv.Proof]:
    """Distinct proofs, at most :data:`PER_THEOREM` per theorem, in the script's order.

    A user's claim (``symconv.check``) counts as its own theorem: its statement names it.
    """
    seen, per_theorem, kept = set(), {}, []
    for proof in proofs:
        name = _name(proof)
        key = json.dumps([name, proof.to_dict()["parameters"]], sort_keys=True)
        count = per_theorem.get(name, 0)
        if key not in seen and count < PER_THEOREM:
            seen.add(key)
            per_theorem[name] = count + 1
            kept.append(proof)
    return kept


def briefs(proofs: list[symconv.Proof]) -> list[symconv.Proof]:
    """The brief notes: one proof per theorem and verdict (a refuted variant stays), brief."""
    seen, kept = set(), []
    for proof in proofs:
        if (_name(proof), proof.verdict) not in seen:
            seen.add((_name(proof), proof.verdict))
            kept.append(brief(proof))
    return kept


def write_topic(script: Path, notes: Path, detail: str = "both", quiet: bool = True,
                pdf: bool | None = None) -> tuple[int, list[symconv.Proof], list[Path]]:
    """Run one script and write its notes (``notes/brief``, ``notes/full`` or both): the
    exit code, the proofs recorded and the files written (``pdf`` as for ``write_notes``)."""
    code, proofs = run_recording(script, quiet)
    return code, proofs, write_recorded(script, proofs, notes, detail, pdf)


def write_recorded(script: Path, proofs: list[symconv.Proof], notes: Path,
                   detail: str = "both", pdf: bool | None = None) -> list[Path]:
    """Write the notes of ``proofs``, recorded from ``script`` by :func:`run_recording`, as
    :func:`write_topic` does; the files written (none when nothing was recorded)."""
    written: list[Path] = []
    if proofs:
        title = script.stem.replace("_", " ").capitalize()
        for length in DETAILS if detail == "both" else (detail,):
            shown = proofs if length == "full" else briefs(proofs)
            written += write_notes(shown, notes / length, script.stem, title=title,
                                   introduction=introduction(script), detail=length, pdf=pdf)
    return written


def main(argv: list[str] | None = None) -> int:
    """Run the scripts, write the notes, print a summary; the exit code is the worst."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", default="notes", help="folder for the notes (default: notes)")
    parser.add_argument("--quiet", action="store_true", help="do not print the derivations")
    parser.add_argument("--detail", choices=(*DETAILS, "both"), default="both",
                        help="brief notes (DIR/brief), full derivations (DIR/full) or both "
                             "(default)")
    args = parser.parse_args(argv)
    failures, rows = 0, []
    for script in scripts():
        start = time.perf_counter()
        try:
            code, proofs, written = write_topic(script, Path(args.notes), args.detail,
                                                args.quiet)
        except SymconvError as error:
            print(f"symconv: error: {error}", file=sys.stderr)
            return 2
        failures += code != 0
        kinds = sorted({p.suffix for p in written})
        rows.append((script.stem, "ok" if code == 0 else f"FAILED ({code})", len(proofs),
                     f"{len(written)} files ({' '.join(kinds)})", time.perf_counter() - start))
    width = max(len(row[0]) for row in rows) + 2
    print(f"\n{'script':<{width}}proofs  status   seconds  notes")
    for name, status, count, files, seconds in rows:
        print(f"{name:<{width}}{count:>6}  {status:<8}{seconds:7.1f}  {files}")
    print(f"\n{len(rows) - failures} of {len(rows)} scripts passed; notes in {args.notes}/")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
