"""Regularisation theorems of the notes (seed 003): weight decay, the L1 subgradient, dropout.

- ``weight-decay``: with the penalty ``(lambda/2) ||w||^2`` a gradient step is
  ``w <- (1 - eta lambda) w - eta grad L`` (refuted for the penalty ``lambda ||w||^2``,
  whose factor is ``1 - 2 eta lambda``); PyTorch's ``SGD(weight_decay=lambda)`` agrees.
- ``l1-subgradient``: ``lambda sum |w_i|`` has the gradient ``lambda sign(w_i)`` where
  ``w_i != 0`` and the subdifferential ``[-lambda, lambda]`` at ``0``.
- ``dropout-test-scale``: dropping each unit with probability ``p`` during training, the
  test-time weights must be multiplied by the keep probability ``1 - p``; the notes'
  "multiply by p" holds only at ``p = 1/2``.
- ``inverted-dropout``: scaling the kept units by ``1/(1 - p)`` during training makes the
  expected training output the test output, with no test-time scaling.

The expectations are exact: a sum over all ``2^n`` drop masks with a symbolic ``p``.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import replace
from fractions import Fraction

import numpy as np
import sympy

from ..errors import TheoremError, require
from ..proof import ExactText, Math, Step
from .common import exact_number, show
from .engine import Outcome, first_difference, theorem
from .losses import compare_step, gradient, require_count
from .pytorch_checks import torch_cross_check

FAMILY = "regularisation"

ETA, LAMBDA = sympy.symbols("eta lambda", positive=True)


def column(count: int, name: str = "w", **assumptions: bool) -> sympy.Matrix:
    """A column of symbols ``w_0 .. w_{count-1}``.

    Examples
    --------
    >>> column(2).T
    Matrix([[w_0, w_1]])
    """
    return sympy.Matrix(sympy.symbols(f"{name}_0:{count}", **assumptions))


def _weights_domain(extra: dict) -> list[dict]:
    return [{**extra, "weights": n} for n in range(1, 5)]


# ---------------------------------------------------------------------------
# L2: weight decay
# ---------------------------------------------------------------------------

PENALTIES = {"half": sympy.Rational(1, 2), "full": sympy.Integer(1)}


def sgd_steps(torch, weights: np.ndarray, gradients: list[np.ndarray], *, lr: float,
              momentum: float = 0.0, weight_decay: float = 0.0) -> np.ndarray:
    """The weights after PyTorch's SGD update, one step per given gradient.

    ``torch.optim.sgd.sgd`` is the update ``torch.optim.SGD.step`` applies (called directly:
    constructing the optimiser object imports torch's compiler, seconds for nothing).
    """
    from torch.optim.sgd import sgd

    w = torch.tensor(weights, dtype=torch.float64)
    buffers = [None]
    for g in gradients:
        sgd([w], [torch.tensor(g, dtype=torch.float64)], buffers, weight_decay=weight_decay,
            momentum=momentum, lr=lr, dampening=0.0, nesterov=False, maximize=False,
            foreach=False)
    return w.numpy()


def _torch_weight_decay(torch, count: int) -> bool:
    """One SGD step with weight_decay on a quadratic loss against the decay rule."""
    rng = np.random.default_rng(20 + count)
    w0, a, b = rng.normal(size=count), rng.uniform(0.5, 1.5, count), rng.normal(size=count)
    eta, lam = 0.1, 0.3
    grad_l = a * w0 + b  # the gradient of 1/2 sum a w^2 + b . w at w0
    got = sgd_steps(torch, w0, [grad_l], lr=eta, weight_decay=lam)
    return bool(np.allclose(got, (1 - eta * lam) * w0 - eta * grad_l, rtol=1e-12, atol=1e-14))


@theorem("weight-decay", family=FAMILY,
         statement="With the L2 penalty (lambda/2) ||w||^2 added to a loss L, a gradient step "
                   "of size eta is w <- (1 - eta lambda) w - eta grad L(w): the weights decay "
                   "by the factor 1 - eta lambda before the usual step.",
         latex=r"\tilde L = L + \tfrac{\lambda}{2}\|w\|^2,\quad w - \eta\nabla\tilde L = "
               r"(1 - \eta\lambda)\, w - \eta\nabla L",
         parameters={"weights": 3, "penalty": "half"},
         domain=lambda: _weights_domain({"penalty": "half"}),
         domain_text="every number of weights n <= 4")
def weight_decay(weights, penalty) -> Outcome:
    """SymPy's gradient step of the penalised loss (L an undefined function) against the rule."""
    require_count("weights", weights)
    count = weights
    require(penalty in PENALTIES, "penalty", penalty, "must name the L2 penalty's factor",
            "'half' ((lambda/2) ||w||^2) or 'full' (lambda ||w||^2)", error=TheoremError)
    w = column(weights)
    loss = sympy.Function("L")(*w)
    penalised = loss + PENALTIES[penalty] * LAMBDA * sum(v**2 for v in w)
    step = w - ETA * gradient(penalised, w)
    rule = (1 - ETA * LAMBDA) * w - ETA * gradient(loss, w)
    difference = first_difference(step, rule, ("w - eta grad(L + penalty)",
                                               "(1 - eta lambda) w - eta grad L"))
    agrees, torch_step = torch_cross_check(
        "torch.optim.SGD's update (weight_decay=lambda)",
        lambda torch: _torch_weight_decay(torch, count),
        f"One step with lr 0.1 and weight_decay 0.3 on a seeded quadratic loss in {count} "
        "weights, against (1 - eta lambda) w - eta grad L, tolerance 1e-12.")
    factor = "\\tfrac{\\lambda}{2}" if penalty == "half" else "\\lambda"
    steps = (
        Step("Setting", f"{count} symbolic weights, a loss $L$ (an arbitrary differentiable "
             f"function of them) and the penalty ${factor}\\|w\\|^2$.",
             (Math(rf"\tilde L(w) = L(w) + {factor} \sum_i w_i^2",
                   f"L~(w) = L(w) + {'lambda/2' if penalty == 'half' else 'lambda'} "
                   "sum w_i^2"),)),
        Step("Differentiate", "SymPy's gradient step on the penalised loss:",
             (show(r"w - \eta \nabla \tilde L", step),)),
        compare_step("The step against $(1 - \\eta\\lambda) w - \\eta \\nabla L$", difference),
        torch_step,
    )
    statement = None if penalty == "half" else (
        "With the L2 penalty lambda ||w||^2 added to a loss L, a gradient step of size eta is "
        "w <- (1 - eta lambda) w - eta grad L(w).",
        r"\tilde L = L + \lambda\|w\|^2,\quad w - \eta\nabla\tilde L = (1 - \eta\lambda)\, w - "
        r"\eta\nabla L")
    return Outcome(difference is None, steps, difference, numeric=agrees, statement=statement)


# ---------------------------------------------------------------------------
# L1: the subgradient
# ---------------------------------------------------------------------------

def _torch_l1(torch, count: int) -> bool:
    """autograd of lambda * |w|.sum(): lambda sign(w), 0 at w = 0 (inside [-lambda, lambda])."""
    lam = 0.3
    values = [((-1) ** i) * (i + 1) * 0.5 for i in range(count - 1)] + [0.0]
    w = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    (lam * w.abs().sum()).backward()
    grad = w.grad.numpy()
    return bool(np.allclose(grad[:-1], lam * np.sign(values[:-1]))
                and -lam <= grad[-1] <= lam)


@theorem("l1-subgradient", family=FAMILY,
         statement="The L1 penalty lambda sum_i |w_i| has the gradient lambda sign(w_i) where "
                   "w_i != 0 and the subdifferential [-lambda, lambda] at w_i = 0, so a "
                   "(sub)gradient step is w <- w - eta lambda sign(w) - eta grad L: a constant "
                   "shrink towards 0, not a proportional decay.",
         latex=r"\frac{\partial}{\partial w_i} \lambda\sum_j |w_j| = \lambda\operatorname{sign}"
               r"(w_i)\ (w_i \ne 0),\quad \partial(\lambda|w_i|)\big|_{w_i = 0} = "
               r"[-\lambda, \lambda]",
         parameters={"weights": 3}, domain=lambda: _weights_domain({}),
         domain_text="every number of weights n <= 4")
def l1_subgradient(weights) -> Outcome:
    """SymPy's derivative at nonzero real weights; one-sided limits at 0."""
    require_count("weights", weights)
    count = weights
    w = column(weights, real=True, nonzero=True)
    penalty = LAMBDA * sum(sympy.Abs(v) for v in w)
    grad = gradient(penalty, w)
    rule = w.applyfunc(lambda v: LAMBDA * sympy.sign(v))
    difference = first_difference(grad, rule, ("d penalty / dw", "lambda sign(w)"))
    h = sympy.Symbol("h", real=True)
    right = sympy.limit(LAMBDA * sympy.Abs(h) / h, h, 0, "+")
    left = sympy.limit(LAMBDA * sympy.Abs(h) / h, h, 0, "-")
    if difference is None and (right, left) != (LAMBDA, -LAMBDA):
        difference = {"one-sided derivatives at 0": f"{left}, {right}"}
    agrees, torch_step = torch_cross_check(
        "torch.abs's autograd", lambda torch: _torch_l1(torch, count),
        f"The gradient of $0.3 \\sum_j |w_j|$ at {count} weights (the last one $0$) is "
        r"$0.3 \operatorname{sign}(w)$ at the nonzero weights and a value in $[-0.3, 0.3]$ at "
        "$0$ (PyTorch picks $0$).")
    steps = (
        Step("Away from 0", f"{count} real nonzero symbolic weights: SymPy's derivative of "
             "$\\lambda \\sum_j |w_j|$.",
             (show(r"\nabla \lambda \|w\|_1", grad),)),
        Step("At 0", "$|w|$ has no derivative at $0$; its one-sided derivatives are the limits "
             f"of $\\lambda |h|/h$: ${sympy.latex(left)}$ from the left and "
             f"${sympy.latex(right)}$ from the right. By convexity the subgradients are the "
             "slopes between them, every $g$ with $\\lambda|v| \\ge g v$ for all $v$.",
             (Math(r"\partial(\lambda|w|)(0) = [-\lambda, \lambda]",
                   "subdifferential of lambda |w| at 0 = [-lambda, lambda]"),)),
        compare_step("The gradient against $\\lambda \\operatorname{sign}(w)$ and the "
                      "one-sided derivatives against $\\pm\\lambda$", difference),
        torch_step,
    )
    return Outcome(difference is None, steps, difference, numeric=agrees)


# ---------------------------------------------------------------------------
# Dropout: test-time scaling and inverted dropout
# ---------------------------------------------------------------------------

P = sympy.Symbol("p")
#: The scale factors a claim may name (looked up, never parsed).
TEST_SCALES = {"1 - p": 1 - P, "p": P, "1": sympy.Integer(1)}
TRAIN_SCALES = {"1/(1 - p)": 1 / (1 - P), "1/p": 1 / P, "1": sympy.Integer(1),
                "1 - p": 1 - P}
#: Drop probabilities searched for the smallest counterexample, simplest fractions first.
GRID = sorted({Fraction(a, b) for b in range(2, 9) for a in range(1, b)},
              key=lambda f: (f.denominator, f.numerator))
TORCH_P = 0.3
SAMPLES = 100_000


def _drop_probability(value: str) -> sympy.Expr:
    if value == "any":
        return P
    exact = exact_number("drop_probability", value)
    require(0 <= exact < 1, "drop_probability", value, "must be a probability below 1",
            "'any' or an exact number in [0, 1)", error=TheoremError)
    return sympy.Rational(exact.numerator, exact.denominator)


def expected_output(units: int, keep_scale: sympy.Expr, p: sympy.Expr) -> sympy.Expr:
    """``E[sum_j w_j m_j x_j * keep_scale]`` over all ``2^units`` masks, ``P(m_j = 0) = p``.

    Examples
    --------
    >>> expected_output(2, sympy.Integer(1), P).factor()
    -(p - 1)*(w_0*x_0 + w_1*x_1)
    """
    w, x = column(units), column(units, "x")
    total = sympy.Integer(0)
    for mask in itertools.product((0, 1), repeat=units):
        chance = math.prod(((1 - p) if m else p) for m in mask)
        total += chance * keep_scale * sum(wi * xi * m for wi, xi, m in zip(w, x, mask))
    return sympy.expand(total)


def _inline(value: sympy.Expr) -> str:
    """LaTeX for a value inside a sentence: fractions written ``a / b``, not stacked."""
    return sympy.latex(value, fold_short_frac=True)


def _first_failing(residual: sympy.Expr, p: sympy.Expr) -> Fraction | None:
    """The simplest drop probability of :data:`GRID` where ``residual`` is not 0."""
    if p != P:
        return None if sympy.expand(residual) == 0 else Fraction(str(p))
    return next((q for q in GRID if sympy.expand(residual.subs(P, sympy.Rational(
        q.numerator, q.denominator))) != 0), None)


def _dropout_outcome(units: int, p: sympy.Expr, train_scale: sympy.Expr,
                     test_scale: sympy.Expr, claim: str, torch_step: Step,
                     agrees: bool | None) -> Outcome:
    """Expected training output against the test output; where they differ, and when not."""
    w, x = column(units), column(units, "x")
    full = sum(wi * xi for wi, xi in zip(w, x))
    train_scale, test_scale = train_scale.subs(P, p), test_scale.subs(P, p)
    expected = expected_output(units, train_scale, p)
    # E[y_train] is c(p) times the full sum: c read off one term, the rest checked exactly
    per_input = sympy.factor(expected.coeff(w[0] * x[0]))
    if sympy.expand(expected - per_input * full) != 0:
        raise AssertionError("the expectation is not a multiple of sum_j w_j h_j")
    gap = sympy.factor(per_input - test_scale)

    def times_full(c: sympy.Expr) -> sympy.Expr:
        return sympy.Mul(c, full, evaluate=False) if c not in (0, 1) else c * full

    residual = times_full(gap)
    failing = _first_failing(gap, p)
    where = [v for v in sympy.solve(gap, P) if 0 <= v < 1] if p == P else []
    difference = None
    if failing is not None:
        q = sympy.Rational(failing.numerator, failing.denominator)
        difference = {"drop_probability": ExactText(q), "units": units,
                      "expected training output": ExactText(times_full(per_input.subs(P, q))),
                      "test output": ExactText(times_full(test_scale.subs(P, q))),
                      **({"holds only at": ExactText(sympy.Eq(P, where[0]), f"p = {where[0]}")
                          if len(where) == 1
                          else ", ".join(f"p = {v}" for v in where) or "no p"}
                         if p == P else {})}
    p_text = "a symbolic drop probability $p$" if p == P else f"drop probability $p = {p}$"
    steps = (
        Step("Setting", f"A unit computing $y = \\sum_j w_j h_j$ over {units} inputs; during "
             f"training each input is dropped independently with {p_text} (mask $m_j = 0$) "
             "and kept with probability $1 - p$" + ("" if train_scale == 1 else
                                                    ", the kept ones scaled by "
                                                    f"${sympy.latex(train_scale)}$") + ".",
             (Math(r"y_{\mathrm{train}} = " + ("" if train_scale == 1 else
                                               sympy.latex(train_scale) + r"\,")
                   + r"\sum_j w_j m_j h_j,\ \ P(m_j = 0) = p",
                   "y_train = scale * sum_j w_j m_j h_j, P(m_j = 0) = p"),)),
        Step("Expectation", f"Exactly, over all {2 ** units} masks (each weighted by its "
             "probability):",
             (show(r"\mathbb E[y_{\mathrm{train}}]", times_full(per_input)),
              show(r"y_{\mathrm{test}}", times_full(test_scale)))),
        Step("Compare", f"{claim}: $\\mathbb E[y_{{\\mathrm{{train}}}}] - y_{{\\mathrm{{test}}}}"
             f" = {sympy.latex(residual)}$"
             + ("." if difference is None else
                (", zero only at " + (", ".join(f"$p = {_inline(v)}$" for v in where)
                                      or "no $p$") if p == P else "")
                + f"; at $p = {_inline(q)}$ the expected training output is "
                f"${_inline(difference['expected training output'].value)}$ but the test "
                f"output is ${_inline(difference['test output'].value)}$."),
             (Math(r"\mathbb E[y_{\mathrm{train}}] - y_{\mathrm{test}} = "
                   + sympy.latex(residual), f"E[y_train] - y_test = {residual}"),)),
        torch_step,
    )
    return Outcome(difference is None, steps, difference, numeric=agrees)


@functools.lru_cache(maxsize=8)
def _torch_dropout(p: float) -> tuple[float, float, float]:
    """Seeded samples of torch's dropout on ones: kept fraction, kept value, mean output."""
    import torch
    import torch.nn.functional as functional

    torch.manual_seed(0)
    y = functional.dropout(torch.ones(SAMPLES, dtype=torch.float64), p=p, training=True)
    kept = y != 0
    return (float(kept.double().mean()), float(y[kept].mean()) if kept.any() else 0.0,
            float(y.mean()))


def _sampling_tolerance(p: float) -> float:
    """Five standard errors of a kept fraction of :data:`SAMPLES` Bernoulli(1 - p) draws."""
    return 5 * math.sqrt(p * (1 - p) / SAMPLES) + 1e-12


def _torch_p(p: sympy.Expr) -> float:
    return TORCH_P if p == P else float(p)


def _dropout_parameters(units: int, drop_probability: str, scale: str,
                        scales: dict[str, sympy.Expr]) -> tuple[sympy.Expr, sympy.Expr]:
    require_count("units", units, 1, 6)
    require(scale in scales, "scale", scale, "must name one of the scale factors",
            ", ".join(repr(s) for s in scales), error=TheoremError)
    return _drop_probability(str(drop_probability)), scales[scale]


def _units_domain(extra: dict) -> list[dict]:
    return [{**extra, "units": n} for n in range(1, 5)]


@theorem("dropout-test-scale", family=FAMILY,
         statement="If each unit is dropped with probability p during training, multiplying "
                   "the weights by the keep probability 1 - p at test time makes the test "
                   "output the expected training output, for every p.",
         latex=r"\mathbb E\Big[\sum_j w_j m_j h_j\Big] = (1 - p)\sum_j w_j h_j,\quad "
               r"P(m_j = 0) = p",
         parameters={"units": 3, "drop_probability": "any", "scale": "1 - p"},
         domain=lambda: _units_domain({"drop_probability": "any", "scale": "1 - p"}),
         domain_text="every unit with n <= 4 inputs, all 2^n masks, symbolic p")
def dropout_test_scale(units, drop_probability, scale) -> Outcome:
    """Exact expectation over masks against the claimed test-time scale."""
    p, factor = _dropout_parameters(units, drop_probability, scale, TEST_SCALES)
    q = _torch_p(p)

    def check(torch) -> bool:
        kept, _, _ = _torch_dropout(q)
        return abs(kept - (1 - q)) <= _sampling_tolerance(q)

    agrees, torch_step = torch_cross_check(
        "torch.nn.functional.dropout", check,
        f"{SAMPLES} seeded samples at $p = {q}$: the fraction of units kept is $1 - p$ within "
        "five standard errors, so the expected training output is $(1 - p)$ times the full "
        "one.")
    outcome = _dropout_outcome(units, p, sympy.Integer(1), factor,
                               f"Test-time scale ${sympy.latex(factor)}$", torch_step, agrees)
    if scale == "1 - p" and drop_probability == "any":
        return outcome
    at = "every p" if p == P else f"p = {p}"
    return replace(outcome, statement=(
        f"If each unit is dropped with probability p during training, multiplying the weights "
        f"by {scale} at test time makes the test output the expected training output, at {at}.",
        r"\mathbb E\Big[\sum_j w_j m_j h_j\Big] = " + sympy.latex(factor.subs(P, p))
        + r"\sum_j w_j h_j"))


@theorem("inverted-dropout", family=FAMILY,
         statement="Inverted dropout: if each unit is dropped with probability p and the kept "
                   "units are scaled by 1/(1 - p) during training, the expected training output "
                   "is the full network's output, so no scaling is needed at test time "
                   "(what torch.nn.functional.dropout does).",
         latex=r"\mathbb E\Big[\frac{1}{1 - p}\sum_j w_j m_j h_j\Big] = \sum_j w_j h_j,\quad "
               r"P(m_j = 0) = p",
         parameters={"units": 3, "drop_probability": "any", "scale": "1/(1 - p)"},
         domain=lambda: _units_domain({"drop_probability": "any", "scale": "1/(1 - p)"}),
         domain_text="every unit with n <= 4 inputs, all 2^n masks, symbolic p")
def inverted_dropout(units, drop_probability, scale) -> Outcome:
    """Exact expectation of the scaled training output against the unscaled test output."""
    p, factor = _dropout_parameters(units, drop_probability, scale, TRAIN_SCALES)
    q = _torch_p(p)

    def check(torch) -> bool:
        kept, value, mean = _torch_dropout(q)
        claimed = float(factor.subs(P, q))
        return (abs(kept - (1 - q)) <= _sampling_tolerance(q)
                and math.isclose(value, claimed, rel_tol=1e-12)
                and abs(mean - 1) <= _sampling_tolerance(q) / (1 - q))

    agrees, torch_step = torch_cross_check(
        "torch.nn.functional.dropout", check,
        f"{SAMPLES} seeded samples at $p = {q}$: every kept unit equals the claimed scale "
        "(relative tolerance 1e-12), the kept fraction is $1 - p$ and the mean output $1$ within "
        "five standard errors.")
    outcome = _dropout_outcome(units, p, factor, sympy.Integer(1),
                               f"Training-time scale ${sympy.latex(factor)}$", torch_step,
                               agrees)
    if scale == "1/(1 - p)" and drop_probability == "any":
        return outcome
    at = "every p" if p == P else f"p = {p}"
    return replace(outcome, statement=(
        f"If each unit is dropped with probability p and the kept units are scaled by {scale} "
        f"during training, the expected training output is the full network's output, at {at}.",
        r"\mathbb E\Big[" + sympy.latex(factor.subs(P, p))
        + r"\sum_j w_j m_j h_j\Big] = \sum_j w_j h_j"))
