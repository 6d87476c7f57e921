"""``symconv check "CLAIM" --shapes "x=n, k=K" --domain "n<=8, K<=4"``: the command line.

Exit codes as for ``symconv prove`` (0 proved, 1 refuted, 2 bad input, 4 verified
on the domain, 5 undecided or vacuous); ``--grammar`` prints the claim grammar. The
text, LaTeX and Markdown are the brief rendering unless ``--full`` (as for ``prove``);
``--json`` is always the whole proof.
"""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["register_cli"]


def register_cli(sub: Any) -> None:
    """Add ``check`` to the ``symconv`` sub-parsers (its ``--help`` ends with the grammar)."""
    from symconv.cli.options import add_detail_options
    from symconv.grammar import grammar_text

    p = sub.add_parser(
        "check", formatter_class=argparse.RawDescriptionHelpFormatter,
        help="check your own identity or chain of steps on a domain of sizes: verified, or "
             "refuted with the smallest counterexample",
        description="CLAIM is 'a == b' or a chain 'a == b == c' of corr, conv, conv_transpose,\n"
                    "transpose_weight, flip, pad, crop, upsample, subsample, shift, avg_pool,\n"
                    "max_pool, dot, ones, shape, + - *, / by an integer size, and size\n"
                    "expressions (K - 1, s*(m-1)+1). Channels: a shape's leading items named\n"
                    "c, o, g (c1, c_in, ...) are channel axes, e.g. x=(c, n), k=(o, c//g, K)\n"
                    "for corr(x, k, groups=g) (PyTorch's weight layouts).",
        epilog="The claim grammar (symconv/grammars/claim.lark, also `--grammar`):\n\n"
               + grammar_text("claim"))
    p.add_argument("claim", nargs="?", metavar="CLAIM")
    p.add_argument("--shapes", default="", help='shapes of the signals, e.g. "x=n, k=K, '
                   'y=(m, m)"')
    p.add_argument("--domain", help='bounds on the size names, e.g. "1 <= n <= 8, K <= 4" '
                   "(n, K, s, p, d have defaults)")
    add_detail_options(p, "the claim, a chain's step lines, the counterexample")
    p.add_argument("--json", action="store_true", help="print Proof.to_dict() as JSON")
    p.add_argument("--latex", metavar="FILE", help="write a standalone LaTeX document")
    p.add_argument("--markdown", metavar="FILE", help="write Markdown (KaTeX/MathJax math)")
    p.add_argument("--grammar", action="store_true", help="print the claim grammar and exit")
    p.set_defaults(run=_cmd_check)


def _cmd_check(args: argparse.Namespace) -> int:
    from symconv.cli.exits import EXIT_PROVED, VERDICT_EXIT, UsageError
    from symconv.cli.options import at_detail
    from symconv.cli.output import check_outputs, write_outputs
    from symconv.grammar import grammar_text

    from .check import check
    from .report import check_brief

    if args.grammar:
        print(grammar_text("claim"), end="")
        return EXIT_PROVED
    if not args.claim:
        raise UsageError("check needs a CLAIM, e.g. symconv check \"flip(flip(k)) == k\" "
                         "--shapes \"k=K\" (or --grammar)")
    outputs = check_outputs(args, "latex", "markdown")
    proof = check(args.claim, shapes=args.shapes, domain=args.domain)
    shown = at_detail(proof, args, check_brief)
    render = {"latex": lambda: shown.latex(standalone=True), "markdown": shown.markdown}
    write_outputs({path: render[option]() for option, path in outputs.items()})
    print(proof.to_json() if args.json else shown.text())
    return VERDICT_EXIT[proof.verdict]
