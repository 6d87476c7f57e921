"""``symconv list`` and ``symconv prove``: the theorem catalogue on the command line.

``list`` prints the catalogue (or one theorem's statement, parameters and domain);
``prove NAME`` proves one theorem at the options given, ``prove --all`` every theorem
at its defaults, with who certified each ``parametric`` evidence (:func:`judges`).
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from ..validation import is_integer
from .exits import EXIT_PROVED, EXIT_REFUTED, VERDICT_EXIT, UsageError
from .options import add_detail_options, at_detail
from .output import check_outputs, write_outputs
from .parameters import LAYER_OPTIONS, prove_parameters

__all__ = ["cmd_list", "cmd_prove", "judges", "register"]


def register(sub: Any) -> None:
    """Add ``list`` and ``prove`` to the ``symconv`` sub-parsers."""
    p = sub.add_parser("list", help="the theorem catalogue, or one theorem's parameters")
    p.add_argument("name", nargs="?", help="a theorem: its statement, parameters and defaults")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_list)

    p = sub.add_parser("prove", help="prove a theorem (or --all)", add_help=False)
    p.add_argument("-h", "--help", action="store_true",
                   help="show this help; with NAME, the theorem's parameters and defaults")
    p.add_argument("name", nargs="?")
    p.add_argument("--all", action="store_true", help="every theorem at its defaults and "
                   "over its exhaustive domain")
    p.add_argument("--input", help="input size(s), e.g. 5,5")
    p.add_argument("--kernel", help="kernel size(s), e.g. 3,3")
    p.add_argument("--stride")
    p.add_argument("--padding", help="1 | 1,2 | 1:2 | 0:1,1:0 | valid | same | same_lower | full")
    p.add_argument("--dilation")
    p.add_argument("--output-padding", dest="output_padding")
    p.add_argument("--in-channels", dest="in_channels")
    p.add_argument("--out-channels", dest="out_channels")
    p.add_argument("--groups")
    p.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="any other theorem parameter (see `symconv list --json`)")
    p.add_argument("--latex", metavar="FILE", help="write a standalone LaTeX document")
    p.add_argument("--markdown", metavar="FILE", help="write Markdown (KaTeX/MathJax math)")
    p.add_argument("--smt", metavar="FILE", help="write the SMT-LIB 2 queries of the SMT judge")
    add_detail_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_prove, usage=p.format_help)


def _theorem_help(name: str) -> str:
    """A theorem's statement, parameters with their defaults (as options) and domain."""
    from ..theorems import get

    thm = get(name)
    options = {name: f"--{option.replace('_', '-')}" for option, name in LAYER_OPTIONS}
    lines = [f"{thm.name}  [{thm.family}]", f"  {thm.statement}", "parameters (defaults):"]
    for key, value in thm.parameters.items():
        shown = ",".join(map(str, value)) if isinstance(value, (tuple, list)) and all(
            is_integer(v) for v in value) else str(value)
        option = options.get(key) or ("--padding" if key == "padding" else "--param")
        lines.append(f"  {option} {shown}" if option != "--param" else
                     f"  --param {key}={shown}")
    if thm.domain_text:
        lines.append(f"domain (checked when no parameter is given): {thm.domain_text}")
    return "\n".join(lines)


def cmd_list(args: argparse.Namespace) -> int:
    if args.name:
        from ..theorems import get

        print(json.dumps(get(args.name).describe(), indent=2, ensure_ascii=False) if args.json
              else _theorem_help(args.name))
        return EXIT_PROVED
    from ..catalogue import table  # the stored table: no theorem module (nor SymPy) imported

    catalogue = table()
    if args.json:
        print(json.dumps({"theorems": catalogue}, indent=2, ensure_ascii=False))
        return EXIT_PROVED
    width = max(len(t["name"]) for t in catalogue)
    for t in catalogue:
        print(f"{t['name']:<{width}}  [{t['family']}]  {t['statement']}")
    return EXIT_PROVED


def cmd_prove(args: argparse.Namespace) -> int:
    if args.help:
        print(args.usage())
        if args.name:
            print(_theorem_help(args.name))
        return EXIT_PROVED
    from ..theorems import prove
    if args.all:
        return _prove_all(args)
    if not args.name:
        raise UsageError("prove needs a theorem NAME or --all (see `symconv list`)")
    outputs = check_outputs(args, "latex", "markdown", "smt")
    outputs.pop("smt", None)  # written by run_recording_smt once the proof is done
    proof = prove(args.name, **prove_parameters(args))
    shown = at_detail(proof, args)
    render = {"latex": lambda: shown.latex(standalone=True), "markdown": shown.markdown}
    write_outputs({path: render[option]() for option, path in outputs.items()})
    print(proof.to_json() if args.json else shown.text())
    return VERDICT_EXIT[proof.verdict]


def judges(proof: Any) -> list[str]:
    """Who certified a proof's ``parametric`` evidence, read off its derivation's steps.

    ``index-set checks`` (an affine bijection's five checks), ``lemma chain`` (the
    rewriting prover) and ``SMT`` (the second judge: listed when the derivation has a
    "Second judge: SMT" step and every such step says the claims were certified).

    Examples
    --------
    >>> from symconv.theorems import prove
    >>> judges(prove("output-size")), judges(prove("flip"))
    (['lemma chain', 'SMT'], [])
    """
    if "parametric" not in proof.evidence:
        return []
    titles = {step.title for step in proof.steps}
    found = [name for name, title in (("index-set checks", "The bijection"),
                                       ("lemma chain", "Chain")) if title in titles]
    second = [step.text for step in proof.steps if step.title == "Second judge: SMT"]
    if second and all(text.startswith("Certified twice") for text in second):
        found.append("SMT")
    return found


def _prove_all(args: argparse.Namespace) -> int:
    from ..theorems import prove, theorems

    if args.name or args.latex or args.markdown:
        raise UsageError("prove --all takes no NAME, --latex or --markdown")
    rows, documents = [], []
    start = time.perf_counter()
    for entry in theorems():
        tick = time.perf_counter()
        proof = prove(entry["name"])
        seconds = time.perf_counter() - tick
        rows.append((proof, seconds))
        documents.append({**proof.to_dict(), "seconds": round(seconds, 3),
                          "judges": judges(proof)})
    total = time.perf_counter() - start
    proved = sum(p.proved for p, _ in rows)
    counts = {v: sum(p.verdict == v for p, _ in rows) for v in VERDICT_EXIT}
    if args.json:
        summary = {**{v: c for v, c in counts.items() if c or v in ("proved", "refuted")},
                   "seconds": round(total, 2)}
        print(json.dumps({"theorems": documents, "summary": summary}, indent=2,
                         ensure_ascii=False))
    else:
        width = max(len(p.theorem) for p, _ in rows)
        print(f"{'theorem':<{width}}  verdict  seconds  evidence  [judges of 'parametric']")
        for proof, seconds in rows:
            certified = f"  [{' + '.join(judges(proof))}]" if judges(proof) else ""
            print(f"{proof.theorem:<{width}}  {proof.verdict:<7}  {seconds:7.2f}  "
                  f"{', '.join(proof.evidence)}{certified}")
            if proof.counterexample is not None:
                print(f"{'':<{width}}  counterexample: {proof.counterexample}")
            elif not proof.proved:
                print(f"{'':<{width}}  {proof.evidence_sentence()}")
        others = ", ".join(f"{c} {v}" for v, c in counts.items() if c and v != "proved")
        print(f"\n{proved} of {len(rows)} proved{f' ({others})' if others else ''} "
              f"in {total:.1f} s")
    if proved == len(rows):
        return EXIT_PROVED
    return EXIT_REFUTED if counts["refuted"] else max(VERDICT_EXIT[p.verdict] for p, _ in rows)

