"""Training theorems of the notes (seed 003): momentum, batch normalisation, maxout.

- ``momentum-unrolled``: the velocity ``v_n = mu v_{n-1} - eta g_n`` (``v_0 = 0``) is the
  geometrically weighted sum of past gradients ``v_n = -eta sum_k mu^(n-k) g_k``; PyTorch's
  SGD with ``momentum=mu`` takes the same steps.
- ``batch-norm-moments``: ``y_i = (x_i - mu)/sqrt(sigma^2 + eps)`` over a batch has mean 0
  and variance ``sigma^2/(sigma^2 + eps)`` -- exactly 1 only as ``eps -> 0`` (refuted for
  "variance 1" at ``eps > 0``); PyTorch's ``batch_norm`` agrees.
- ``maxout-parameters``: maxout with ``k`` pieces, ``out = max(z_1, ..., z_k)`` with
  ``z_j = W_j x + b_j``, has ``k`` times the parameters of the plain affine layer.

Momentum and batch norm are also proved for every length n
(:mod:`symconv.theorems.symbolic_size`).
"""

from __future__ import annotations

import functools

import numpy as np
import sympy

from ..errors import TheoremError, require
from ..proof import ExactText, Math, Step
from .common import show
from .engine import Outcome, first_difference, theorem
from .losses import compare_step, require_count
from .pytorch_checks import torch_cross_check
from .regularisation import column, sgd_steps
from .symbolic_size import batch_norm_for_all, momentum_for_all, with_derivation_for_every_n

FAMILY = "training"

MU, ETA = sympy.symbols("mu eta", positive=True)


# ---------------------------------------------------------------------------
# Momentum, unrolled
# ---------------------------------------------------------------------------

def velocities(gradients: list[sympy.Expr]) -> list[sympy.Expr]:
    """``v_1 .. v_N`` of ``v_n = mu v_{n-1} - eta g_n`` from ``v_0 = 0``.

    Examples
    --------
    >>> g = sympy.symbols("g_1:3")
    >>> velocities(list(g))[-1].expand()
    -eta*g_1*mu - eta*g_2
    """
    v, out = sympy.Integer(0), []
    for g in gradients:
        v = MU * v - ETA * g
        out.append(v)
    return out


def _torch_momentum(torch, steps: int) -> bool:
    """PyTorch's momentum SGD on linear losses g_t . w against w_0 + sum of unrolled v_n."""
    rng = np.random.default_rng(30 + steps)
    w0, grads = rng.normal(size=2), [rng.normal(size=2) for _ in range(steps)]
    mu, eta = 0.9, 0.1
    got = sgd_steps(torch, w0, grads, lr=eta, momentum=mu)
    unrolled = [-eta * sum(mu ** (n - k) * grads[k] for k in range(n + 1))
                for n in range(steps)]
    return bool(np.allclose(got, w0 + sum(unrolled), rtol=1e-12, atol=1e-12))


@theorem("momentum-unrolled", family=FAMILY,
         statement="The momentum velocity v_n = mu v_{n-1} - eta g_n with v_0 = 0 is the "
                   "geometrically weighted sum of all past gradients, v_n = -eta sum_{k=1}^n "
                   "mu^(n-k) g_k, whose weights sum to (1 - mu^n)/(1 - mu).",
         latex=r"v_n = \mu v_{n-1} - \eta g_n,\ v_0 = 0\ \Longrightarrow\ v_n = -\eta "
               r"\sum_{k=1}^{n} \mu^{n-k} g_k",
         parameters={"steps": 5},
         domain=lambda: [{"steps": n} for n in range(1, 7)],
         domain_text="every number of steps n <= 6")
def momentum_unrolled(steps) -> Outcome:
    """The recursion with symbolic mu, eta, g_k against the closed sum, at every n <= steps."""
    require_count("steps", steps, 1, 12)
    g = list(sympy.symbols(f"g_1:{steps + 1}"))
    recursive = velocities(g)
    closed = [-ETA * sum(MU ** (n - k) * g[k - 1] for k in range(1, n + 1))
              for n in range(1, steps + 1)]
    difference = first_difference(sympy.Matrix(recursive), sympy.Matrix(closed),
                                  ("recursion", "unrolled sum"))
    weights = sum(MU ** (steps - k) for k in range(1, steps + 1))
    geometric = sympy.cancel(weights - (1 - MU ** steps) / (1 - MU)) == 0
    if difference is None and not geometric:
        difference = {"sum of the weights": ExactText(weights)}
    agrees, torch_step = torch_cross_check(
        "torch.optim.SGD's update (momentum=mu, dampening 0)",
        lambda torch: _torch_momentum(torch, steps),
        f"{steps} steps with lr 0.1 and momentum 0.9 on seeded linear losses "
        r"$g_t \cdot w$: the weights equal $w_0 + \sum_n v_n$ with the unrolled $v_n$, "
        "tolerance 1e-12.")
    steps_ = (
        Step("Setting", f"{steps} steps with symbolic gradients $g_k$, momentum $\\mu$ and "
             "step size $\\eta$; the notes: the step $v_n$ is a linear combination of the "
             "negative gradient and the previous velocity $v_{n-1}$.",
             (Math(r"v_n = \mu v_{n-1} - \eta g_n,\quad v_0 = 0,\quad w_n = w_{n-1} + v_n",
                   "v_n = mu v_{n-1} - eta g_n, v_0 = 0, w_n = w_{n-1} + v_n"),)),
        Step("Unroll", "Substituting the recursion into itself:",
             (show(f"v_{{{steps}}}", sympy.expand(recursive[-1])),)),
        compare_step(f"$v_1, \\dots, v_{{{steps}}}$ against $-\\eta\\sum_k \\mu^{{n-k}} g_k$",
                      difference),
        Step("The weights", "Gradient $g_k$ enters $v_n$ with weight $\\mu^{n-k}$; the "
             f"weights sum to ${sympy.latex(weights)} = \\frac{{1 - \\mu^{{{steps}}}}}{{1 - "
             "\\mu}$" + (" (checked)" if geometric else " (fails)") + ", tending to $1/(1 - "
             "\\mu)$: a constant gradient is taken with the step $\\eta/(1 - \\mu)$ in the "
             "long run.", ()),
        torch_step,
    )
    outcome = Outcome(difference is None, steps_, difference, numeric=agrees)
    return with_derivation_for_every_n(outcome, momentum_for_all)


# ---------------------------------------------------------------------------
# Batch normalisation
# ---------------------------------------------------------------------------

EPSILON = sympy.Symbol("epsilon", positive=True)
#: ``sqrt(sigma^2 + epsilon)``, kept as a positive symbol: the one fact used is its square.
ROOT = sympy.Symbol(r"\sqrt{\sigma^2 + \epsilon}", positive=True)
SIGMA2 = sympy.Symbol("sigma^2", positive=True)
VARIANCES = {"sigma^2/(sigma^2 + epsilon)": SIGMA2 / (SIGMA2 + EPSILON), "1": sympy.Integer(1)}
#: PyTorch's default epsilon, for the exact witness against "variance 1".
TORCH_EPS = sympy.Rational(1, 100_000)


def batch_moments(values: list[sympy.Expr]) -> tuple[sympy.Expr, sympy.Expr]:
    """Mean and biased variance (divided by the batch size, as batch norm uses).

    Examples
    --------
    >>> batch_moments([sympy.Integer(0), sympy.Integer(1)])
    (1/2, 1/4)
    """
    m = len(values)
    mean = sympy.Add(*values) / m
    return mean, sympy.Add(*[(v - mean) ** 2 for v in values]) / m


#: The epsilon of the PyTorch cross-check: large against the batch's variance, so that
#: sigma^2/(sigma^2 + eps) is far from 1 and the check tells the two claims apart.
CHECK_EPS = 0.5


def _torch_batch_norm(torch, x: list[sympy.Symbol], y: list[sympy.Expr],
                      variance: sympy.Expr, claimed: sympy.Expr) -> bool:
    """PyTorch's batch_norm against the symbolic construction, evaluated at numbers.

    The symbolic ``y`` (in the batch ``x`` and :data:`ROOT`), its ``variance`` and the
    ``claimed`` output variance are evaluated at a seeded batch, one feature at a time, so
    a wrong mean or variance in the construction shows as a disagreement.
    """
    import torch.nn.functional as functional

    rng = np.random.default_rng(40 + len(x))
    batch = (rng.normal(size=(len(x), 3)) + 1).astype(np.float32)
    got = functional.batch_norm(torch.tensor(batch), None, None, training=True,
                                eps=CHECK_EPS).numpy().astype(float)
    for feature in range(batch.shape[1]):
        values = {s: sympy.Float(float(v)) for s, v in zip(x, batch[:, feature])}
        var = float(variance.xreplace(values))
        values[ROOT] = sympy.Float(np.sqrt(var + CHECK_EPS))
        mine = [float(v.xreplace(values)) for v in y]
        want = float(claimed.xreplace({SIGMA2: sympy.Float(var),
                                       EPSILON: sympy.Float(CHECK_EPS)}))
        if not (np.allclose(got[:, feature], mine, rtol=1e-5, atol=1e-6)
                and abs(got[:, feature].mean()) <= 1e-6
                and np.isclose(got[:, feature].var(), want, rtol=1e-5)):
            return False
    return True


@functools.cache
def _limit_at_zero_epsilon() -> sympy.Expr:
    """SymPy's limit of sigma^2/(sigma^2 + epsilon) as epsilon -> 0 (sigma^2 > 0)."""
    return sympy.limit(SIGMA2 / (SIGMA2 + EPSILON), EPSILON, 0)


def _witness(batch: int, claimed: sympy.Expr) -> dict:
    """The batch 0, 1, ..., m-1 at PyTorch's epsilon: exact variance of y against the claim."""
    x = [sympy.Integer(v) for v in range(batch)]
    mean, var = batch_moments(x)
    y = [(v - mean) / sympy.sqrt(var + TORCH_EPS) for v in x]
    got = sympy.nsimplify(batch_moments(y)[1])
    return {"x": ExactText(tuple(x)), "epsilon": ExactText(TORCH_EPS),
            "variance of y": ExactText(got), "claimed": ExactText(claimed.subs({SIGMA2: var,
                                                                    EPSILON: TORCH_EPS}))}


@theorem("batch-norm-moments", family=FAMILY,
         statement="Batch normalisation y_i = (x_i - mu)/sqrt(sigma^2 + epsilon), with mu and "
                   "sigma^2 the batch mean and (biased) variance, gives outputs of mean 0 and "
                   "variance sigma^2/(sigma^2 + epsilon): exactly 1 only in the limit "
                   "epsilon -> 0 (for a batch that is not constant).",
         latex=r"y_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \epsilon}}:\quad \frac1n\sum_i y_i = 0,"
               r"\quad \frac1n\sum_i y_i^2 = \frac{\sigma^2}{\sigma^2 + \epsilon}",
         parameters={"batch": 3, "variance": "sigma^2/(sigma^2 + epsilon)"},
         domain=lambda: [{"batch": m, "variance": "sigma^2/(sigma^2 + epsilon)"}
                         for m in range(2, 5)],
         domain_text="every batch of 2 <= m <= 4 values")
def batch_norm_moments(batch, variance) -> Outcome:
    """Mean and variance of the normalised symbolic batch against 0 and the claim."""
    require_count("batch", batch, 2, 8)
    require(variance in VARIANCES, "variance", variance, "must name the claimed variance",
            " or ".join(repr(v) for v in VARIANCES), error=TheoremError)
    x = list(sympy.symbols(f"x_1:{batch + 1}", real=True))
    mean, var = batch_moments(x)
    y = [(v - mean) / ROOT for v in x]
    out_mean, out_var = batch_moments(y)
    mean_zero = sympy.expand(out_mean) == 0
    claimed = VARIANCES[variance]
    # sigma^2 is the batch variance and ROOT^2 = sigma^2 + epsilon
    rest = sympy.expand(out_var - claimed.subs(SIGMA2 + EPSILON, ROOT**2).subs(SIGMA2, var))
    difference = None if mean_zero else {"mean of y": ExactText(out_mean)}
    if difference is None and rest != 0:
        difference = {**_witness(batch, claimed),
                      "gap": ExactText(sympy.factor(
                          VARIANCES["sigma^2/(sigma^2 + epsilon)"] - claimed))}
    limit = _limit_at_zero_epsilon()
    agrees, torch_step = torch_cross_check(
        "torch.nn.functional.batch_norm (training mode)",
        lambda torch: _torch_batch_norm(torch, x, y, var, claimed),
        f"A seeded float32 batch of {batch} x 3 values, eps = {CHECK_EPS}: PyTorch's output "
        "equals the symbolic y evaluated there, its mean is 0 and its variance the claimed "
        f"${sympy.latex(claimed)}$ per feature (well below 1 at this eps), relative "
        "tolerance 1e-5.")
    steps = (
        Step("Setting", f"A batch of $n = {batch}$ real symbolic values $x_i$ and a symbolic "
             "$\\epsilon > 0$; $\\mu$ and $\\sigma^2$ as batch norm computes them (divided by "
             "$n$, the batch size). The root $\\sqrt{\\sigma^2 + \\epsilon}$ is kept as a "
             "positive symbol whose square is $\\sigma^2 + \\epsilon$.",
             (Math(r"\mu = \frac1n\sum_i x_i,\quad \sigma^2 = \frac1n\sum_i (x_i - \mu)^2,\quad"
                   r" y_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \epsilon}}",
                   "mu = mean x, sigma^2 = mean (x - mu)^2, y = (x - mu)/sqrt(sigma^2 + eps)"),
              show(r"\mu", mean))),
        Step("Mean", "$\\sum_i (x_i - \\mu) = 0$, so the mean of $y$ is $0$"
             + (" (expanded: $0$)." if mean_zero else " -- but it does not expand to 0."),
             ()),
        Step("Variance", "$\\frac1n \\sum_i y_i^2 = \\frac{1}{\\sigma^2 + \\epsilon} \\cdot "
             "\\frac1n\\sum_i (x_i - \\mu)^2 = \\frac{\\sigma^2}{\\sigma^2 + \\epsilon}$, which "
             f"tends to ${sympy.latex(limit)}$ as $\\epsilon \\to 0$ when $\\sigma^2 > 0$ and "
             "is below 1 for every $\\epsilon > 0$. (A constant batch has $\\sigma^2 = 0$: "
             "output 0, variance 0.)",
             (show(r"\frac1n\sum_i y_i^2", sympy.factor(out_var.subs(
                 ROOT, sympy.sqrt(SIGMA2 + EPSILON)))),
              show(r"\sigma^2", sympy.factor(var)))),
        compare_step(f"The variance of $y$ against ${sympy.latex(claimed)}$" + (
            "" if difference is None else " (a witness: the batch $0, 1, \\dots, m-1$ at "
            "PyTorch's default $\\epsilon = 10^{-5}$)"), difference),
        torch_step,
    )
    statement = None if variance != "1" else (
        "Batch normalisation y_i = (x_i - mu)/sqrt(sigma^2 + epsilon) gives outputs of mean 0 "
        "and variance 1.", r"\frac1n\sum_i y_i = 0,\quad \frac1n\sum_i y_i^2 = 1")
    outcome = Outcome(difference is None, steps, difference, numeric=agrees,
                      statement=statement)
    return with_derivation_for_every_n(outcome, batch_norm_for_all)


# ---------------------------------------------------------------------------
# Maxout's parameters
# ---------------------------------------------------------------------------

def _maxout_domain() -> list[dict]:
    points = [{"inputs": d, "outputs": m, "pieces": k} for d in (1, 2) for m in (1, 2)
              for k in range(1, 6)]
    return sorted(points, key=lambda q: (q["inputs"] * q["outputs"] * q["pieces"],
                                         q["pieces"]))


@theorem("maxout-parameters", family=FAMILY,
         statement="A maxout layer with k pieces, out_o = max(z_1o, ..., z_ko) with z_j = W_j x "
                   "+ b_j, on d inputs with m outputs has k m (d + 1) parameters: k times the "
                   "m (d + 1) of the plain affine layer it replaces (k = 1 is that layer).",
         latex=r"\mathrm{out} = \max_{j \le k} (W_j x + b_j):\quad \#\mathrm{params} = "
               r"k\, m (d + 1)",
         parameters={"inputs": 3, "outputs": 2, "pieces": 5},
         domain=_maxout_domain,
         domain_text="every maxout layer with d <= 2 inputs, m <= 2 outputs, k <= 5 pieces")
def maxout_parameters(inputs, outputs, pieces) -> Outcome:
    """Distinct parameter symbols of the symbolic maxout output against k m (d + 1)."""
    require_count("inputs", inputs, 1, 16)
    require_count("outputs", outputs, 1, 16)
    require_count("pieces", pieces, 1, 16)
    x = column(inputs, "x")
    pieces_z = []
    for j in range(1, pieces + 1):
        w = sympy.Matrix(outputs, inputs, lambda o, i, j=j: sympy.Symbol(f"W^{j}_{{{o},{i}}}"))
        b = sympy.Matrix([sympy.Symbol(f"b^{j}_{{{o}}}") for o in range(outputs)])
        pieces_z.append(w * x + b)
    out = sympy.Matrix([sympy.Max(*[z[o] for z in pieces_z], evaluate=False)
                        for o in range(outputs)])
    parameters = out.free_symbols - set(x)
    plain = column(outputs, "b").T.free_symbols | sympy.Matrix(
        outputs, inputs, lambda o, i: sympy.Symbol(f"W_{{{o},{i}}}")).free_symbols
    counted, claimed = len(parameters), pieces * outputs * (inputs + 1)
    ratio_ok = counted == pieces * len(plain)
    difference = None if counted == claimed and ratio_ok else {
        "distinct parameters": counted, "k m (d + 1)": claimed,
        "plain layer": len(plain)}
    steps = (
        Step("Setting", f"{inputs} inputs, {outputs} outputs, $k = {pieces}$ pieces (the notes "
             "take $k = 5$: $z_1 = w_1 x + b_1, \\dots, z_5 = w_5 x + b_5$, out $= \\max(z_1, "
             "\\dots, z_5)$), each piece an affine map with its own symbolic $W_j$, $b_j$.",
             (show(r"\mathrm{out}_0", out[0]),)),
        Step("Count", f"The output's free symbols other than the inputs: {counted} distinct "
             f"parameters; the plain affine layer has $m(d + 1) = {len(plain)}$, and "
             f"$k\\, m (d + 1) = {claimed}$.",
             (Math(rf"{counted} = {pieces} \cdot {len(plain)}" if ratio_ok else
                   rf"{counted} \neq {pieces} \cdot {len(plain)}",
                   f"{counted} = {pieces} * {len(plain)}" if ratio_ok else
                   f"{counted} != {pieces} * {len(plain)}"),)),
        Step("PyTorch", "PyTorch has no maxout layer: no cross-check was run.", ()),
    )
    return Outcome(difference is None, steps, difference)
