"""Loss theorems of the notes: style transfer, activation maximisation, softmax, cross-entropy.

- ``content-loss-gradient`` (seed 002, Gatys et al.): ``L = 1/2 sum_ij (F_ij - P_ij)^2`` has
  the gradient ``dL/dF = F - P``.
- ``style-loss-gradient``: the Gram matrix ``G = F F^T`` of an ``N x M`` feature map and
  ``E = 1/(4 N^2 M^2) sum_ij (G_ij - A_ij)^2`` have ``dE/dF = (F^T (G - A))^T / (N^2 M^2)``
  when ``A`` is a Gram matrix too (symmetric); refuted for an arbitrary target ``A``.
- ``activation-maximisation``: ``a^k = sum_ij a^k_ij`` over a feature map has the all-ones
  gradient, and through linear convolution layers the input gradient is the all-ones map
  back-projected, ``C_1^T C_2^T 1_k``.
- ``softmax-shift``: ``softmax(z + c 1) = softmax(z)`` for every constant ``c``.
- ``cross-entropy-decomposition``: ``H(p, q) = H(p) + KL(p || q)``.
- ``divergences-not-distances``: the notes call both "distances"; ``KL(p || q) != KL(q || p)``
  (an exact witness on two classes) and ``H(p, p) = H(p) != 0``.

Each is checked with SymPy at the stated sizes (symbolic entries) and at every size of a
small finite domain; softmax and cross-entropy also for every length n
(:mod:`symconv.theorems.symbolic_size`), and cross-checked against PyTorch.
"""

from __future__ import annotations

import numpy as np
import sympy

from ..errors import TheoremError, require
from ..geometry import Geometry
from ..operators import correlation, indexed_symbols
from ..proof import ExactText, Math, Step
from .common import show
from .engine import Outcome, first_difference, theorem
from .equivariance import flat
from .pytorch_checks import torch_cross_check
from .symbolic_size import (
    cross_entropy_for_all,
    softmax_shift_for_all,
    with_derivation_for_every_n,
)

FAMILY = "losses"


def feature_map(shape: tuple[int, int], name: str) -> sympy.Matrix:
    """A matrix of symbols ``name_{i,j}``: channel ``i``, flattened position ``j``.

    Examples
    --------
    >>> feature_map((1, 2), "F")
    Matrix([[F_{0,0}, F_{0,1}]])
    """
    return sympy.Matrix(indexed_symbols(shape, name).tolist())


def gradient(value: sympy.Expr, variables: sympy.Matrix) -> sympy.Matrix:
    """``d value / d variables`` entry by entry (SymPy's derivative), in their shape."""
    return variables.applyfunc(lambda v: sympy.diff(value, v))


def linear_gradient(value: sympy.Expr, variables: list[sympy.Symbol]) -> list | None:
    """The gradient of a form linear in ``variables``: their coefficients; None if not linear.

    For a polynomial of degree at most 1 in the variables the derivative in each is its
    coefficient, read off the expanded terms (a SymPy derivative per variable of a long sum
    costs quadratic time).

    Examples
    --------
    >>> x, y, k = sympy.symbols("x y k")
    >>> linear_gradient(k * x + 2 * y + k, [x, y])
    [k, 2]
    >>> linear_gradient(x * y, [x, y]) is None
    True
    """
    index = {v: i for i, v in enumerate(variables)}
    coefficients = [sympy.Integer(0)] * len(variables)
    for term in sympy.Add.make_args(sympy.expand(value)):
        powers = term.as_powers_dict()
        found = [v for v in powers if v in index]
        if len(found) > 1 or (found and powers[found[0]] != 1):
            return None
        if found:
            coefficients[index[found[0]]] += term / found[0]
    return coefficients


def require_count(name: str, value: int, low: int = 1, high: int = 8) -> None:
    """A size parameter of a theorem: an integer in ``low .. high``, else a named error.

    Examples
    --------
    >>> require_count("classes", 0)
    Traceback (most recent call last):
        ...
    symconv.errors.TheoremError: classes must be a small integer, got 0 (valid: 1 to 8)
    """
    require(isinstance(value, int) and low <= value <= high, name, value,
            "must be a small integer", f"{low} to {high}", error=TheoremError)


def compare_step(what: str, difference: dict | None) -> Step:
    if difference is None:
        return Step("Compare", f"{what}: every entry of the difference expands to $0$.",
                    (Math(r"\text{difference} = 0", "difference = 0"),))
    where = ", ".join(f"{k} = {v}" for k, v in difference.items())
    return Step("Compare", f"{what}: the sides differ at {where}.",
                (Math(r"\text{difference} \neq 0", "difference != 0"),))


def _map_domain(extra: dict, largest: int = 5) -> list[dict]:
    points = [{**extra, "channels": n, "positions": m} for n in (1, 2, 3) for m in (1, 2, 3)
              if n + m <= largest]
    return sorted(points, key=lambda q: (q["channels"] + q["positions"], q["channels"]))


# ---------------------------------------------------------------------------
# Content loss
# ---------------------------------------------------------------------------

@theorem("content-loss-gradient", family=FAMILY,
         statement="The content loss L = 1/2 sum_ij (F_ij - P_ij)^2 of an N x M feature map F "
                   "against the target P has the gradient dL/dF_ij = F_ij - P_ij.",
         latex=r"L = \tfrac12 \sum_{i,j} (F_{ij} - P_{ij})^2,\qquad "
               r"\frac{\partial L}{\partial F_{ij}} = F_{ij} - P_{ij}",
         parameters={"channels": 2, "positions": 3},
         domain=lambda: _map_domain({}),
         domain_text="every feature map with N, M <= 3 and N + M <= 5 (channels x positions)")
def content_loss_gradient(channels, positions) -> Outcome:
    """SymPy's derivative of the content loss against ``F - P``."""
    require_count("channels", channels)
    require_count("positions", positions)
    f = feature_map((channels, positions), "F")
    p = feature_map((channels, positions), "P")
    loss = sympy.Rational(1, 2) * sum((a - b) ** 2 for a, b in zip(f, p))
    grad = gradient(loss, f)
    difference = first_difference(grad, f - p, ("dL/dF", "F - P"))
    steps = (
        Step("Setting", f"Feature maps $F$ (generated image) and $P$ (content image) with "
             f"$N = {channels}$ channels and $M = {positions}$ positions (the notes flatten "
             "height and width into the position $j$), symbolic entries.",
             (Math(r"L = \tfrac12 \sum_{i,j} (F_{ij} - P_{ij})^2",
                   "L = 1/2 sum_ij (F_ij - P_ij)^2"),)),
        Step("Differentiate", "SymPy's derivative with respect to every $F_{ij}$:",
             (show(r"\partial L / \partial F", grad),)),
        compare_step(r"$\partial L/\partial F$ against $F - P$", difference),
    )
    return Outcome(difference is None, steps, difference)


# ---------------------------------------------------------------------------
# Gram matrix and style loss
# ---------------------------------------------------------------------------

TARGETS = ("gram", "any")
ANY_TARGET = ("For an N x M feature map F with Gram matrix G = F F^T and any style target A, the "
              "style loss E = 1/(4 N^2 M^2) sum_ij (G_ij - A_ij)^2 has the gradient dE/dF = "
              "(F^T (G - A))^T / (N^2 M^2).")
ANY_TARGET_LATEX = (r"\forall A:\ \frac{\partial}{\partial F}\,\frac{\sum_{i,j}(G_{ij} - "
                    r"A_{ij})^2}{4N^2M^2} = \frac{\big(F^{\mathsf T}(G - A)\big)^{\mathsf T}}"
                    r"{N^2M^2}")


@theorem("style-loss-gradient", family=FAMILY,
         statement="For an N x M feature map F with Gram matrix G = F F^T and a style target A "
                   "that is itself a Gram matrix (A = S S^T), the style loss E = 1/(4 N^2 M^2) "
                   "sum_ij (G_ij - A_ij)^2 has the gradient dE/dF = (F^T (G - A))^T / "
                   "(N^2 M^2) (refuted for a target A that is not symmetric).",
         latex=r"G = F F^{\mathsf T},\ E = \frac{1}{4N^2M^2}\sum_{i,j}(G_{ij} - A_{ij})^2,\ "
               r"\frac{\partial E}{\partial F} = \frac{\big(F^{\mathsf T}(G - A)\big)"
               r"^{\mathsf T}}{N^2M^2}",
         parameters={"channels": 2, "positions": 2, "target": "gram"},
         domain=lambda: _map_domain({"target": "gram"}, 4),
         domain_text="every feature map with N + M <= 4 (channels x positions), "
                     "A = S S^T")
def style_loss_gradient(channels, positions, target) -> Outcome:
    """SymPy's derivative of the style loss against the Gatys et al. form."""
    require_count("channels", channels)
    require_count("positions", positions)
    require(target in TARGETS, "target", target, "must name the style target's form",
            "'gram' (A = S S^T) or 'any' (arbitrary A)", error=TheoremError)
    n, m = channels, positions
    f = feature_map((n, m), "F")
    if target == "gram":
        s = feature_map((n, m), "S")
        a = s * s.T
    else:
        a = feature_map((n, n), "A")
    g = f * f.T
    loss = sum(v**2 for v in g - a) / (4 * n**2 * m**2)
    grad = gradient(loss, f)
    classic = (f.T * (g - a)).T / (n**2 * m**2)
    difference = first_difference(grad, classic, ("dE/dF", "(F^T (G - A))^T / (N^2 M^2)"))
    target_text = ("$A = S S^{\\mathsf T}$, the Gram matrix of the style image's symbolic "
                   "feature map $S$ (so $A$ is symmetric)" if target == "gram" else
                   "$A$ an arbitrary symbolic matrix (not symmetric)")
    steps = (
        Step("Setting", f"A feature map $F$ with $N = {n}$ channels and $M = {m}$ positions, "
             f"its Gram matrix $G = F F^{{\\mathsf T}}$ ($N \\times N$) and the target "
             f"{target_text}.",
             (show("G", g), show("A", a))),
        Step("Why", "$E$ is a sum of squares of $G - A$ and $G_{ij} = \\sum_l F_{il} F_{jl}$, "
             "so $\\partial E/\\partial F = \\frac{1}{2N^2M^2}\\big((G - A) + (G - A)^"
             "{\\mathsf T}\\big) F$; this is the classic $(F^{\\mathsf T}(G - A))^{\\mathsf T}"
             " / (N^2M^2) = (G - A)^{\\mathsf T} F/(N^2M^2)$ exactly when $G - A$ is "
             "symmetric, which holds when $A$ is a Gram matrix.",
             (Math(r"\frac{\partial E}{\partial F} = \frac{(G - A) + (G - A)^{\mathsf T}}"
                   r"{2N^2M^2}\, F",
                   "dE/dF = ((G - A) + (G - A)^T) F / (2 N^2 M^2)"),)),
        Step("Differentiate", "SymPy's derivative and the classic form:",
             (show(r"\partial E / \partial F", grad),
              show(r"\frac{(F^{\mathsf T}(G - A))^{\mathsf T}}{N^2M^2}", classic))),
        compare_step(r"$\partial E/\partial F$ against $(F^{\mathsf T}(G - A))^{\mathsf T} / "
                      r"(N^2M^2)$", difference),
    )
    statement = None if target == "gram" else (ANY_TARGET, ANY_TARGET_LATEX)
    return Outcome(difference is None, steps, difference, statement=statement)


# ---------------------------------------------------------------------------
# Activation maximisation
# ---------------------------------------------------------------------------

ACTIVATION = {"feature_shape": (11, 11), "input_shape": (4, 4), "kernel_shape": (2, 2),
              "hidden_channels": 2, "filters": 2, "filter": 1}


def _activation_domain() -> list[dict]:
    points = []
    for n in range(2, 5):
        for k in range(1, 3):
            for filters in (1, 2):
                if 2 * (k - 1) + 1 <= n:
                    points.append({**ACTIVATION, "feature_shape": (3,), "input_shape": (n,),
                                   "kernel_shape": (k,), "filters": filters,
                                   "filter": filters - 1})
    return points


@theorem("activation-maximisation", family=FAMILY,
         statement="The activation of filter k, a^k = sum_ij a^k_ij, summed over its feature "
                   "map, has gradient 1 for every a^k_ij; through linear convolution layers "
                   "a = C_2 C_1 x its gradient with respect to the input is the all-ones map "
                   "of channel k back-projected, C_1^T C_2^T 1_k.",
         latex=r"a^k = \sum_{i,j} a^k_{ij},\quad \frac{\partial a^k}{\partial a^k_{ij}} = 1,"
               r"\quad \frac{\partial a^k}{\partial x} = C_1^{\mathsf T} C_2^{\mathsf T}"
               r" \mathbf 1_k",
         parameters=ACTIVATION, domain=_activation_domain,
         domain_text="two stride-1 1-D layers with n in 2..4, kernel 1 or 2, 1 or 2 filters")
def activation_maximisation(feature_shape, input_shape, kernel_shape, hidden_channels, filters,
                            filter) -> Outcome:
    """The sum's gradient, and SymPy's input gradient through two layers against ``C^T 1``."""
    feature_shape = tuple(feature_shape)
    require(0 <= filter < filters, "filter", filter, "must index one of the filters",
            f"0 to {filters - 1}", error=TheoremError)
    require(0 < int(np.prod(feature_shape)) <= 400, "feature_shape", feature_shape,
            "must have between 1 and 400 positions", error=TheoremError)
    a = indexed_symbols(feature_shape, "a")
    ones = linear_gradient(sympy.Add(*flat(a)), flat(a))
    sum_ok = ones is not None and all(v == 1 for v in ones)
    c1 = correlation(Geometry(input_shape, kernel_shape), 1, hidden_channels, kernel_name="u")
    c2 = correlation(Geometry(c1.output_shape[1:], kernel_shape), hidden_channels, filters,
                     kernel_name="w")
    x = indexed_symbols(c1.input_shape, "x")
    out = c2.apply(c1.apply(x))
    grad = linear_gradient(sympy.Add(*flat(out[filter])), flat(x))
    grad = sympy.Matrix(grad if grad is not None else [sympy.nan] * len(flat(x)))
    per_filter = int(np.prod(c2.output_shape[1:]))
    selector = sympy.Matrix([1 if r // per_filter == filter else 0
                             for r in range(c2.matrix.rows)])
    back = c1.matrix.T * (c2.matrix.T * selector)
    difference = (None if sum_ok else {"d a^k / d a^k_ij": "not all 1"}) or \
        first_difference(grad, back, ("d a^k/dx", "C_1^T C_2^T 1_k"))
    size = "x".join(map(str, feature_shape))
    steps = (
        Step("The objective", f"On a {size} feature map (the notes' last layer has "
             "$50 \\times 11 \\times 11$ outputs) the activation of filter $k$ is the sum of "
             f"its {len(flat(a))} entries; each enters with coefficient 1, so gradient ascent on "
             "$a^k$ pushes every position of the map equally"
             + (" (SymPy: a polynomial of degree 1 in them, every coefficient 1)."
                if sum_ok else "."),
             (Math(r"a^k = \sum_{i,j} a^k_{ij},\ \ \frac{\partial a^k}{\partial a^k_{ij}} = 1",
                   "a^k = sum_ij a^k_ij, d a^k / d a^k_ij = 1"),)),
        Step("Through the layers", f"Two linear correlation layers with symbolic kernels $u$ "
             f"({hidden_channels} channels) and $w$ ({filters} filters) on a symbolic input "
             f"$x$ of size {'x'.join(map(str, input_shape))}: $a = C_2 C_1 x$ is linear in $x$, "
             "so SymPy's polynomial form gives $\\partial a^k/\\partial x$ as the coefficients; "
             f"the chain "
             f"rule gives $\\partial a^k/\\partial x = C_1^{{\\mathsf T}} C_2^{{\\mathsf T}} "
             f"\\mathbf 1_k$, $\\mathbf 1_k$ the all-ones map on channel {filter}. (A "
             "nonlinearity between the layers multiplies each back-projected entry by its "
             "derivative.)",
             (show(r"\partial a^k / \partial x", grad.T),)),
        compare_step(r"SymPy's $\partial a^k/\partial x$ against $C_1^{\mathsf T} C_2^"
                      r"{\mathsf T}\mathbf 1_k$", difference),
    )
    return Outcome(difference is None, steps, difference)


# ---------------------------------------------------------------------------
# Softmax is invariant to a shift of all logits
# ---------------------------------------------------------------------------

def softmax(logits: list[sympy.Expr]) -> list[sympy.Expr]:
    """``exp(z_i) / sum_j exp(z_j)`` for a list of SymPy expressions.

    Examples
    --------
    >>> softmax([sympy.Integer(0), sympy.Integer(0)])
    [1/2, 1/2]
    """
    exps = [sympy.exp(z) for z in logits]
    total = sympy.Add(*exps)
    return [e / total for e in exps]


def _logit_domain(extra: dict) -> list[dict]:
    return [{**extra, "classes": n} for n in range(1, 5)]


def _torch_softmax(torch, classes: int) -> bool:
    gen = torch.Generator().manual_seed(classes)
    z = torch.randn(classes, generator=gen, dtype=torch.float64) * 3
    mine = np.exp(z.numpy()) / np.exp(z.numpy()).sum()
    for c in (-50.0, 0.5, 700.0):  # 700: exp overflows unless the max is subtracted
        got = torch.softmax(z + c, dim=0).numpy()
        if not np.allclose(got, mine, rtol=1e-12, atol=1e-15):
            return False
    return True


@theorem("softmax-shift", family=FAMILY,
         statement="softmax(z + c 1) = softmax(z) for every vector z of n logits and every "
                   "constant c (why implementations subtract max z).",
         latex=r"\frac{e^{z_i + c}}{\sum_j e^{z_j + c}} = \frac{e^{z_i}}{\sum_j e^{z_j}}",
         parameters={"classes": 4}, domain=lambda: _logit_domain({}),
         domain_text="every number of classes n <= 4")
def softmax_shift(classes) -> Outcome:
    """Both sides with symbolic logits and shift; their difference's numerator expands to 0."""
    require_count("classes", classes)
    z = list(sympy.symbols(f"z_0:{classes}"))
    c = sympy.Symbol("c")
    shifted, plain = softmax([v + c for v in z]), softmax(z)
    numerators = [sympy.expand(sympy.numer(sympy.together(a - b)), power_exp=True)
                  for a, b in zip(shifted, plain)]
    bad = next((i for i, v in enumerate(numerators) if v != 0), None)
    difference = None if bad is None else {"class": bad, "shifted": ExactText(shifted[bad]),
                                           "plain": ExactText(plain[bad])}
    agrees, torch_step = torch_cross_check(
        "torch.softmax", lambda torch: _torch_softmax(torch, classes),
        f"{classes} random logits (seeded) shifted by c = -50, 0.5, 700 against the formula "
        "at c = 0, relative tolerance 1e-12.")
    steps = (
        Step("Setting", f"{classes} symbolic logits $z_i$ and a symbolic shift $c$.",
             (Math(r"\operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}",
                   "softmax(z)_i = exp(z_i) / sum_j exp(z_j)"),)),
        Step("Why", "$e^{z_i + c} = e^{c} e^{z_i}$: the factor $e^c$ appears in the "
             "numerator and in every term of the denominator, and cancels.",
             (Math(r"\frac{e^{c} e^{z_i}}{e^{c} \sum_j e^{z_j}} = \frac{e^{z_i}}"
                   r"{\sum_j e^{z_j}}", "e^c e^z_i / (e^c sum_j e^z_j) = e^z_i / sum_j e^z_j"),)),
        compare_step("Each class: the numerator of $\\operatorname{softmax}(z + c)_i - "
                      "\\operatorname{softmax}(z)_i$, with $e^{a + b} = e^a e^b$ expanded",
                      difference),
        torch_step,
    )
    outcome = Outcome(difference is None, steps, difference, numeric=agrees)
    return with_derivation_for_every_n(outcome, softmax_shift_for_all)


# ---------------------------------------------------------------------------
# Cross-entropy = entropy + KL divergence
# ---------------------------------------------------------------------------

def _torch_cross_entropy(torch, classes: int) -> bool:
    import torch.nn.functional as functional

    gen = torch.Generator().manual_seed(10 + classes)
    logits = torch.randn(1, classes, generator=gen, dtype=torch.float64)
    p = torch.softmax(torch.randn(1, classes, generator=gen, dtype=torch.float64), dim=1)
    log_q = torch.log_softmax(logits, dim=1)
    cross = functional.cross_entropy(logits, p, reduction="sum")
    entropy = -(p * p.log()).sum()
    kl = functional.kl_div(log_q, p, reduction="sum")
    return bool(torch.allclose(cross, entropy + kl, rtol=1e-12, atol=1e-12))


@theorem("cross-entropy-decomposition", family=FAMILY,
         statement="For distributions p, q on n classes (positive entries), the cross-entropy "
                   "-sum_i p_i log q_i equals the entropy -sum_i p_i log p_i plus the KL "
                   "divergence sum_i p_i log(p_i / q_i).",
         latex=r"H(p, q) = -\sum_i p_i \log q_i = H(p) + D_{\mathrm{KL}}(p \,\|\, q)",
         parameters={"classes": 4}, domain=lambda: _logit_domain({}),
         domain_text="every number of classes n <= 4")
def cross_entropy_decomposition(classes) -> Outcome:
    """The three sums with symbolic positive p, q; logs expanded, the difference is 0."""
    require_count("classes", classes)
    p = sympy.symbols(f"p_0:{classes}", positive=True)
    q = sympy.symbols(f"q_0:{classes}", positive=True)
    cross = -sympy.Add(*[a * sympy.log(b) for a, b in zip(p, q)])
    entropy = -sympy.Add(*[a * sympy.log(a) for a in p])
    kl = sympy.Add(*[a * sympy.log(a / b) for a, b in zip(p, q)])
    rest = sympy.expand(sympy.expand_log(cross - entropy - kl))
    difference = None if rest == 0 else {"H(p,q) - H(p) - KL": ExactText(rest)}
    agrees, torch_step = torch_cross_check(
        "torch.nn.functional.cross_entropy and kl_div",
        lambda torch: _torch_cross_entropy(torch, classes),
        f"cross_entropy of seeded logits against a soft target $p$ ({classes} classes) "
        r"equals $-\sum_i p_i \log p_i$ + kl_div(log_softmax(logits), $p$), tolerance "
        "1e-12.")
    steps = (
        Step("Setting", f"Two distributions on {classes} classes with symbolic positive "
             "entries (the identity is algebraic: it does not need them to sum to 1).",
             (Math(r"H(p) = -\sum_i p_i\log p_i,\quad D_{\mathrm{KL}}(p\,\|\,q) = \sum_i p_i"
                   r"\log\frac{p_i}{q_i}", "H(p) = -sum p log p, KL = sum p log(p/q)"),)),
        Step("Why", "$\\log(p_i/q_i) = \\log p_i - \\log q_i$ for positive $p_i, q_i$, so "
             "$H(p) + D_{\\mathrm{KL}} = -\\sum_i p_i \\log p_i + \\sum_i p_i \\log p_i - "
             "\\sum_i p_i \\log q_i$.", ()),
        compare_step("$H(p, q) - H(p) - D_{\\mathrm{KL}}(p\\,\\|\\,q)$ with the logarithms "
                      "expanded", difference),
        torch_step,
    )
    outcome = Outcome(difference is None, steps, difference, numeric=agrees)
    return with_derivation_for_every_n(outcome, cross_entropy_for_all)


# ---------------------------------------------------------------------------
# Cross-entropy and KL are not distances
# ---------------------------------------------------------------------------

#: Distributions on two classes with these entries are searched for the witness.
ENTRIES = (sympy.Rational(1, 2), sympy.Rational(1, 4), sympy.Rational(3, 4))
WITNESS_DOMAIN = "distributions on two classes with entries 1/4, 1/2, 3/4"


def kl_divergence(p: list[sympy.Expr], q: list[sympy.Expr]) -> sympy.Expr:
    """``sum_i p_i log(p_i / q_i)``, exact, logarithms expanded into logs of primes.

    Examples
    --------
    >>> half, quarter = sympy.Rational(1, 2), sympy.Rational(1, 4)
    >>> kl_divergence([half, half], [quarter, 1 - quarter])
    -log(3)/2 + log(2)
    """
    return sympy.expand(sympy.expand_log(sum(a * sympy.log(a / b) for a, b in zip(p, q)),
                                         force=True))


def _log_coefficients(value: sympy.Expr) -> dict[sympy.Expr, sympy.Expr]:
    """``value`` as a rational combination of logs: log -> nonzero coefficient."""
    coefficients: dict[sympy.Expr, sympy.Expr] = {}
    for term in sympy.Add.make_args(sympy.expand(value)):
        coeff, log = term.as_independent(sympy.log)
        coefficients[log] = coefficients.get(log, 0) + coeff
    return {log: c for log, c in coefficients.items() if c != 0}


def _of_primes(coefficients: dict[sympy.Expr, sympy.Expr]) -> bool:
    return all(isinstance(log, sympy.log) and sympy.isprime(log.args[0])
               for log in coefficients)


def _torch_kl(torch, p: list, q: list) -> bool:
    import torch.nn.functional as functional

    tp, tq = (torch.tensor([float(v) for v in d], dtype=torch.float64) for d in (p, q))
    forward = float(functional.kl_div(tq.log(), tp, reduction="sum"))
    backward = float(functional.kl_div(tp.log(), tq, reduction="sum"))
    return (abs(forward - float(kl_divergence(p, q))) < 1e-12
            and abs(backward - float(kl_divergence(q, p))) < 1e-12 and forward != backward)


@theorem("divergences-not-distances", family=FAMILY,
         statement="Neither cross-entropy nor the KL divergence is a distance between "
                   "distributions: KL(p || q) != KL(q || p) for some p, q, and the "
                   "cross-entropy of a distribution with itself, H(p, p) = H(p), is not 0.",
         latex=r"\exists\, p, q:\ D_{\mathrm{KL}}(p\,\|\,q) \ne D_{\mathrm{KL}}(q\,\|\,p),"
               r"\qquad H(p, p) = H(p) \ne 0",
         parameters={}, domain_text=WITNESS_DOMAIN)
def divergences_not_distances() -> Outcome:
    """The first pair (p, q) on two classes whose two KL divergences differ, exactly."""
    pairs = [([a, 1 - a], [b, 1 - b]) for a in ENTRIES for b in ENTRIES if a != b]
    witness = None
    for p, q in pairs:
        gap = _log_coefficients(kl_divergence(p, q) - kl_divergence(q, p))
        if gap and _of_primes(gap):
            witness = (p, q, gap)
            break
    if witness is None:
        return Outcome(False, (), {"no witness": "every pair searched is symmetric"},
                       evidence=("exhaustive",), domain=WITNESS_DOMAIN)
    p, q, gap = witness
    self_entropy = _log_coefficients(-sum(a * sympy.log(a) for a in p).expand(log=True))
    entropy = sympy.Add(*[c * log for log, c in self_entropy.items()])
    agrees, torch_step = torch_cross_check(
        "torch.nn.functional.kl_div", lambda torch: _torch_kl(torch, p, q),
        "Both directions at the witness equal the exact values (tolerance 1e-12) and differ.")
    forward, backward = kl_divergence(p, q), kl_divergence(q, p)
    steps = (
        Step("The notes", "Seed 003 calls cross-entropy and the KL divergence measures of the "
             "distance between two distributions. A distance is symmetric and is 0 between "
             "a distribution and itself.", ()),
        Step("Witness", f"$p = ({p[0]}, {p[1]})$, $q = ({q[0]}, {q[1]})$, exactly (logarithms "
             "of primes):",
             (show(r"D_{\mathrm{KL}}(p\,\|\,q)", forward),
              show(r"D_{\mathrm{KL}}(q\,\|\,p)", backward),
              show(r"D_{\mathrm{KL}}(p\,\|\,q) - D_{\mathrm{KL}}(q\,\|\,p)",
                   sympy.Add(*[c * log for log, c in gap.items()])))),
        Step("Why it is not 0", "The difference is a rational combination of logarithms of "
             "distinct primes with a nonzero coefficient; such logarithms are linearly "
             "independent over the rationals (unique factorisation), so it is not 0 "
             f"(numerically {float(forward - backward):.6f}).", ()),
        Step("Cross-entropy", f"$H(p, p) = H(p) = {sympy.latex(entropy)}$ for $p = ({p[0]}, "
             f"{p[1]})$, not 0"
             + (" (checked)." if self_entropy and _of_primes(self_entropy) else
                " -- not shown to be nonzero here."), ()),
        torch_step,
    )
    holds = bool(self_entropy) and _of_primes(self_entropy)
    return Outcome(holds, steps, None if holds else {"H(p, p)": ExactText(entropy)},
                   witness={"p": ExactText(tuple(p)), "q": ExactText(tuple(q)),
                            "KL(p||q)": ExactText(forward), "KL(q||p)": ExactText(backward)},
                   evidence=("exhaustive",), numeric=agrees, domain=WITNESS_DOMAIN)
