"""sc.check_implementation: verified / refuted / vacuous, diagnosis, frameworks, CLI."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import numpy as np
import pytest

import symconv as sc
from symconv.cli import main
from symconv.implementations import NO_VARIANT, DomainError
from symconv.lift import ImplementationError, NotBilinearError
from symconv.testing import assert_conv_equivalent


def naive(x, w, stride=1, padding=0, dilation=1, groups=1, *, flip=False, pads=None,
          extra=0, from_end=False, swap_axes=False, channels="groups", ignore_dilation=False,
          sizes="own"):
    """Loop correlation in symconv's layouts (any sizes per axis), with one optional mistake.

    ``sizes="swapped"``: the output size of each axis computed from the other axis's
    input size (height and width swapped: right on square inputs only);
    ``channels="outputs from inputs"``: as many output channels as input channels.
    """
    ndim = x.ndim - 1
    ks = w.shape[2:]
    strides = stride if isinstance(stride, tuple) else (stride,) * ndim
    paddings = padding if isinstance(padding, tuple) else (padding,) * ndim
    d = 1 if ignore_dilation else dilation
    before_after = [pads if pads is not None else (p, p) for p in paddings]
    xp = np.pad(x, [(0, 0)] + before_after)
    spans = [d * (k - 1) + 1 for k in ks]
    source = {"own": list(range(ndim)), "swapped": list(range(ndim))[::-1],
              "first": [0] * ndim}[sizes]
    outs = [(xp.shape[1 + a] - span) // s + 1 + extra
            for a, span, s in zip(source, spans, strides)]
    starts = [(xp.shape[1 + a] - span) % s if from_end else 0
              for a, (span, s) in enumerate(zip(spans, strides))]
    kernel = w[(...,) + (slice(None, None, -1),) * ndim] if flip else w
    if swap_axes:
        kernel = np.swapaxes(kernel, 2, 3)
    c, per = x.shape[0], w.shape[1]
    n_out = c if channels == "outputs from inputs" else w.shape[0]
    y = np.zeros((n_out, *outs))
    for o, i in itertools.product(range(n_out), range(per)):
        group = o // (w.shape[0] // groups)
        ci = i * groups + group if channels == "interleaved" else group * per + i
        sources = range(c) if channels == "ignored" else [ci]
        for src, pos in itertools.product(sources, itertools.product(*map(range, outs))):
            if channels == "ignored" and src % per != i:
                continue
            for m in itertools.product(*map(range, ks)):
                j = tuple(s * p + b + d * mm for s, p, b, mm in zip(strides, pos, starts, m))
                if all(0 <= jj < size for jj, size in zip(j, xp.shape[1:])):
                    y[(o, *pos)] += kernel[(o, i, *m)] * xp[(src, *j)]
    return y


def bug(**mistake):
    def fn(x, w, **kw):
        return naive(x, w, **kw, **mistake)
    fn.__name__ = "naive_" + "_".join(mistake)
    return fn


SMALL = "1 <= n <= 5, 1 <= K <= 3, 1 <= s <= 2, 0 <= p <= 1, 1 <= d <= 2"


def test_the_right_code_is_verified_not_proved():
    p = sc.check_implementation(naive, "correlation", domain=SMALL)
    assert (p.verdict, p.scope, p.evidence) == ("verified", "all sizes",
                                                ["symbolic", "exhaustive"])
    assert p.diagnosis is None and "bilinear" in p.steps[0].text
    assert p.to_dict()["diagnosis"] is None


@pytest.mark.parametrize("mistake, diagnosis, domain", [
    ({"flip": True}, "kernel flipped", SMALL),
    ({"pads": (0, 0)}, "padding ignored", SMALL),
    ({"pads": (2, 0)}, "all padding before", "p = 1, d = 1, s = 1"),
    ({"pads": (0, 2)}, "all padding after", "p = 1, d = 1, s = 1"),
    ({"extra": -1}, "output size off by one window (one too few)", SMALL),
    ({"extra": 1}, "output size off by one window (one too many)", SMALL),
    ({"ignore_dilation": True}, "dilation ignored", SMALL),
    ({"from_end": True}, "stride counted from the other end", SMALL),
    ({"channels": "interleaved"},
     "wrong channel/group mapping (input channels interleaved across groups)",
     "n <= 3, K <= 2, s = 1, p = 0, d = 1, c <= 4, g <= 2"),
    ({"channels": "ignored"}, "wrong channel/group mapping (groups ignored)",
     "n <= 3, K <= 2, s = 1, p = 0, d = 1, c <= 4, g <= 2"),
])
def test_each_known_mistake_is_refuted_and_named(mistake, diagnosis, domain):
    p = sc.check_implementation(bug(**mistake), "correlation", domain=domain)
    assert p.verdict == "refuted"
    assert p.diagnosis == diagnosis


def test_kernel_axes_transposed_in_2d():
    # square kernels only: the planted bug indexes w[..., b, a] and raises on K != L
    p = sc.check_implementation(bug(swap_axes=True),
                                domain="n <= 3, K = 2, L = 2, s = 1, p = 0, d = 1", ndim=2)
    assert (p.verdict, p.diagnosis) == ("refuted", "kernel axes transposed")
    assert [p.counterexample[v] for v in "nKmL"] == [2, 2, 2, 2]


@pytest.mark.parametrize("sizes, diagnosis", [
    ("swapped", "input height and width swapped (right on square inputs only)"),
    ("first", "the first axis's size used for every axis (right on square inputs only)"),
])
def test_right_on_square_inputs_only_is_refuted_at_the_smallest_non_square_input(sizes,
                                                                                  diagnosis):
    domain = "n <= 3, K <= 2, s = 1, p = 0, d = 1"
    assert sc.check_implementation(bug(sizes=sizes), domain=domain + ", m = 3, n = 3",
                                   ndim=2).verdict == "verified"
    square = sc.check_implementation(bug(sizes=sizes), domain=domain, ndim=2, square=True)
    assert square.verdict == "verified" and "m=n, L=K" in square.domain
    p = sc.check_implementation(bug(sizes=sizes), domain=domain, ndim=2)
    assert (p.verdict, p.diagnosis) == ("refuted", diagnosis)
    example = p.counterexample
    assert [example[v] for v in "nmKL"] == [1, 2, 1, 1]
    assert example["reference_output_shape"] == (1, 1, 2)
    assert example["implementation_output_shape"] == {"swapped": (1, 2, 1),
                                                      "first": (1, 1, 1)}[sizes]


def test_channel_mapping_wrong_only_when_in_differs_from_out():
    wrong = bug(channels="outputs from inputs")
    assert sc.check_implementation(wrong, domain="n <= 3, K <= 2, c = 2, o = 2, g <= 2"
                                   ).verdict == "verified"
    p = sc.check_implementation(wrong, domain="n <= 3, K <= 2, s = 1, p = 0, d = 1, c <= 2")
    assert (p.verdict, p.diagnosis) == (
        "refuted", "wrong channel/group mapping (as many output channels as input channels)")
    assert (p.counterexample["c"], p.counterexample["o"]) == (1, 2)


def test_in_and_out_channels_groups_and_per_axis_strides_and_pads_are_verified():
    domain = ("n <= 3, m <= 3, K <= 2, L <= 2, s = 1, t <= 2, p = 0, q <= 1, d = 1, "
              "c <= 2, o <= 4, g <= 2")
    p = sc.check_implementation(naive, domain=domain, ndim=2)
    assert p.verdict == "verified", p.text()
    assert "1<=t<=2" in p.domain and "1<=o<=4" in p.domain


def test_domain_names_follow_their_leaders_and_refuse_other_dimensions():
    from symconv.implementations import domain_ranges

    ranges = domain_ranges("n <= 3, K = 2, c <= 2", {}, "correlation", 2)
    assert (ranges["m"], ranges["L"], ranges["o"]) == ((1, 3), (2, 2), (1, 2))
    assert "t" not in ranges and "q" not in ranges
    assert "m" not in domain_ranges("n <= 3", {}, "correlation", 1)
    with pytest.raises(DomainError, match="2-D only"):
        domain_ranges("m <= 3", {}, "correlation", 1)
    with pytest.raises(DomainError, match="no d, g, o"):
        domain_ranges("g <= 2", {}, "avg_pool", 1)
    with pytest.raises(DomainError, match="with square sizes"):
        domain_ranges("m <= 3", {}, "correlation", 2, square=True)


def test_counterexample_is_the_smallest_with_both_symbolic_values():
    p = sc.check_implementation(bug(flip=True), domain=SMALL)
    example = p.counterexample
    assert (example["n"], example["K"], example["s"], example["p"]) == (1, 2, 1, 1)
    assert example["output_index"] == (0, 0)
    assert example["implementation"] == "k_{0,0,0}*x_{0,0}"
    assert example["reference"] == "k_{0,0,1}*x_{0,0}"


def test_the_refutation_shows_both_matrices_with_the_differences_marked():
    p = sc.check_implementation(bug(flip=True), domain=SMALL)
    step = p.steps[-1]
    assert step.title == "Matrices" and step.text.endswith("Diagnosis: kernel flipped.")
    assert step.math[0].plain.splitlines() == ["fn:            reference:",
                                               "[k_{0,0,0}]    [k_{0,0,1}]",
                                               "[k_{0,0,1}]    [k_{0,0,0}]"]
    assert p.latex().count(r"\boxed{") == 4 and p.markdown().count(r"\boxed{") == 4
    assert "[k_{0,0,1}]" in p.text()


def test_a_large_comparison_shows_the_rows_around_the_first_difference(tmp_path):
    import shutil

    from symconv.matrix_comparison import MAX_COLS, MAX_ROWS, comparison_step

    g = sc.Geometry((6, 5), (3, 2), stride=1, padding=1)
    right = sc.correlation(g, 2, 2)
    wrong = replace_rows_after(right, 20)
    step = comparison_step(wrong, right, None)
    assert "Shown: rows 19..22" in step.text and "above" in step.text
    fn_rows = step.math[0].plain.splitlines()[1:]
    assert len(fn_rows) == MAX_ROWS and fn_rows[0].count("[") == 0
    assert fn_rows[1].count("[") == fn_rows[1].count("k_")
    assert all(len(line.split()) <= MAX_COLS for line in fn_rows)
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        pytest.skip("pdflatex not installed")
    proof = sc.check_implementation(bug(flip=True), domain="n <= 3, K <= 2, s = 1, p = 1, c = 2",
                                    ndim=2)
    proof.steps.append(step)
    (tmp_path / "doc.tex").write_text(proof.latex(standalone=True), encoding="utf-8")
    run = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                         cwd=tmp_path, capture_output=True, timeout=120, check=False)
    log = (tmp_path / "doc.log").read_text(encoding="latin-1")
    assert run.returncode == 0 and "Overfull" not in log


def replace_rows_after(op, row):
    """``op`` with every entry of the rows from ``row`` on taking the next kernel tap."""
    from dataclasses import replace

    taps = np.where(op.rows >= row, (op.taps + 1) % len(op.kernel_flat), op.taps)
    return replace(op, taps=taps)


def test_a_wrong_output_shape_is_refuted_with_both_shapes():
    p = sc.check_implementation(bug(extra=1), domain=SMALL)
    assert p.counterexample["implementation_output_shape"] != \
        p.counterexample["reference_output_shape"]


def test_an_unknown_mistake_is_said_so():
    def shifted(x, w, **kw):
        return np.roll(naive(x, w, **kw), 1, axis=-1)

    p = sc.check_implementation(shifted, domain="n <= 4, K <= 2, s = 1, p = 0, d = 1")
    assert (p.verdict, p.diagnosis) == ("refuted", NO_VARIANT)


def test_convolution_reference_and_its_flip():
    def true_convolution(x, w, **kw):
        return naive(x, w, flip=True, **kw)

    assert sc.check_implementation(true_convolution, "convolution", domain=SMALL).verdict == \
        "verified"
    p = sc.check_implementation(naive, "convolution", domain=SMALL)
    assert (p.verdict, p.diagnosis) == ("refuted", "kernel not flipped")


def test_empty_domain_is_vacuous():
    p = sc.check_implementation(naive, domain="n <= 2, K = 3, p = 0, d = 1")
    assert (p.verdict, p.evidence) == ("vacuous", [])


@pytest.mark.parametrize("kwargs, message", [
    ({"domain": "1 <= q <= 3"}, "domain must be a bound"),
    ({"domain": "n <"}, "domain must be a bound"),
    ({"reference": "fft"}, "reference must name"),
    ({"ndim": 3}, "ndim must be 1 or 2"),
    ({"stride": 1.5}, "stride must be a size name"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(DomainError, match=message):
        sc.check_implementation(naive, **kwargs)


def raises_inside(x, w, **kw):
    raise ValueError("bad axis\nsecond line")


@pytest.mark.parametrize("fn, reference, message", [
    (raises_inside, "correlation", r"fn raises_inside raised ValueError: bad axis \(called"),
    (lambda x, w, **kw: naive(x, w, **kw)[0], "correlation", "output shape .* must be"),
    (lambda x, w, **kw: naive(x, w, **kw).astype(complex), "correlation", "dtype .* must be"),
    (lambda x, w, **kw: naive(x, w, **kw) * np.nan, "correlation", "NaN or infinity"),
    ("conv", "correlation", "fn must be callable"),
    (lambda x, **kw: 1 / 0, "avg_pool", "raised ZeroDivisionError: division by zero"),
    (lambda x, **kw: x[:, :1] * np.inf, "avg_pool", "NaN or infinity"),
    (lambda x, **kw: x[:, :1] * 0.3, "avg_pool", "denominator at most"),
])
def test_bad_implementations_are_named_errors_in_one_line(fn, reference, message):
    with pytest.raises(ImplementationError, match=message) as info:
        sc.check_implementation(fn, reference, domain="n <= 3, K <= 2")
    assert "\n" not in str(info.value)


def test_code_that_raises_on_non_square_sizes_is_told_about_square():
    def square_only(x, w, **kw):
        if x.shape[1] != x.shape[2] or w.shape[2] != w.shape[3]:
            raise ValueError("square images only")
        return naive(x, w, **kw)

    with pytest.raises(ImplementationError, match="raised ValueError: square images only .*"
                       "at the geometry n=1, K=1, .* m=2, L=1, o=1; for code that supports "
                       "only square sizes pass square=True"):
        sc.check_implementation(square_only, domain="n <= 2, K <= 2", ndim=2)
    assert sc.check_implementation(square_only, domain="n <= 2, K <= 2", ndim=2,
                                   square=True).verdict == "verified"


def test_not_callable_is_refused_even_on_an_empty_domain():
    with pytest.raises(ImplementationError, match="fn must be callable"):
        sc.check_implementation(None, domain="n <= 2, K = 3, p = 0, d = 1")


def test_a_runaway_domain_or_lift_is_refused_before_any_call(monkeypatch):
    from symconv.lift import lift_linear

    calls = []

    def counted(x, **kw):
        calls.append(1)
        return x

    with pytest.raises(DomainError, match="at most 100000 points"):
        sc.check_implementation(counted, domain="n <= 1000, K <= 100, s <= 10")
    monkeypatch.setenv("SYMCONV_MAX_SYMBOLIC_ENTRIES", "100")
    with pytest.raises(sc.SymconvError, match="lift of counted"):
        lift_linear(counted, (200,), max_denominator=1)
    assert calls == []


def test_assert_conv_equivalent_renders_the_counterexample():
    assert_conv_equivalent(naive, domain=SMALL)
    with pytest.raises(AssertionError, match="kernel flipped, at n=1, K=2") as info:
        assert_conv_equivalent(bug(flip=True), domain=SMALL)
    assert "implementation" in str(info.value) and "Diagnosis" in str(info.value)


# ---------------------------------------------------------------------------
# Frameworks as implementations
# ---------------------------------------------------------------------------

torch = pytest.importorskip("torch")
F = torch.nn.functional


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """Tiny convolutions: one thread is ~10x faster per call than several on a busy machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def torch_conv(function):
    def fn(x, w, **kw):
        return function(torch.from_numpy(x)[None], torch.from_numpy(w), **kw)[0].numpy()
    fn.__name__ = function.__name__
    return fn


@pytest.mark.parametrize("function, ndim, reference, domain", [
    (F.conv1d, 1, "correlation", "n <= 5, K <= 3, s <= 2, p <= 1, d <= 2, c <= 4, g <= 2"),
    (F.conv2d, 2, "correlation", "n <= 4, K <= 2, s <= 2, p <= 1, d <= 2, c <= 2, g <= 2"),
    (F.conv_transpose1d, 1, "transposed_convolution",
     "n <= 4, K <= 3, s <= 2, p <= 1, d <= 2, c <= 2, g <= 2"),
    (F.conv_transpose2d, 2, "transposed_convolution", "n <= 3, K <= 2, s <= 2, p <= 1, d = 1"),
])
def test_torch_is_verified(function, ndim, reference, domain):
    p = sc.check_implementation(torch_conv(function), reference, domain=domain, ndim=ndim)
    assert p.verdict == "verified", p.text()


def test_scipy_correlate_is_verified():
    from scipy import signal

    def scipy_correlate(x, w, stride=1, padding=0, dilation=1):
        xp = np.pad(x, ((0, 0), (padding, padding)))
        return signal.correlate(xp, w[0], mode="valid", method="direct")[:, ::stride]

    p = sc.check_implementation(scipy_correlate, domain="n <= 6, K <= 3, s <= 2, p <= 1, d = 1")
    assert p.verdict == "verified", p.text()


def test_transposed_scatter_off_by_the_padding_is_named():
    def no_crop(x, w, stride=1, padding=0, dilation=1):
        full = F.conv_transpose1d(torch.from_numpy(x)[None], torch.from_numpy(w), stride=stride,
                                  dilation=dilation)[0].numpy()
        out = (x.shape[-1] - 1) * stride - 2 * padding + dilation * (w.shape[-1] - 1) + 1
        return full[:, :out]

    p = sc.check_implementation(no_crop, "transposed_convolution",
                                domain="n <= 4, K <= 3, s <= 2, p <= 1, d = 1")
    assert p.verdict == "refuted"
    assert p.diagnosis == "transposed scatter off by the padding (padding not subtracted)"


# ---------------------------------------------------------------------------
# Average pooling: exact rational coefficients, PyTorch's conventions by name
# ---------------------------------------------------------------------------

def torch_pool(function):
    def fn(x, kernel_size, stride, padding, **kw):
        return function(torch.from_numpy(x)[None], kernel_size, stride, padding, **kw)[0].numpy()
    fn.__name__ = function.__name__
    return fn


@pytest.mark.parametrize("count_include_pad, ceil_mode", list(itertools.product((True, False),
                                                                                repeat=2)))
@pytest.mark.parametrize("function, ndim, domain", [
    (F.avg_pool1d, 1, "n <= 7, K <= 3, s <= 3, p <= 1, c <= 2"),
    (F.avg_pool2d, 2, "n <= 4, K <= 2, s <= 2, p <= 1"),
])
def test_torch_avg_pool_is_verified(function, ndim, domain, count_include_pad, ceil_mode):
    p = sc.check_implementation(torch_pool(function), "avg_pool", domain=domain, ndim=ndim,
                                count_include_pad=count_include_pad, ceil_mode=ceil_mode)
    assert p.verdict == "verified", p.text()
    assert p.parameters == {"reference": "avg_pool", "count_include_pad": count_include_pad,
                            "ceil_mode": ceil_mode}


def mean_pool(x, kernel_size, stride, padding, divisor="window"):
    """Average pool by loops; the divisor: the whole window, or the real samples only."""
    n = x.shape[-1]
    out = (n + 2 * padding - kernel_size) // stride + 1
    y = np.zeros((x.shape[0], out))
    for i in range(out):
        low, high = max(i * stride - padding, 0), min(i * stride - padding + kernel_size, n)
        y[:, i] = x[:, low:high].sum(axis=-1) / (kernel_size if divisor == "window"
                                                 else high - low)
    return y


def real_divisor(x, kernel_size, stride, padding):
    return mean_pool(x, kernel_size, stride, padding, divisor="real")


@pytest.mark.parametrize("fn, count_include_pad, diagnosis", [
    (real_divisor, True, "divisor excludes the padding (count_include_pad=False)"),
    (mean_pool, False, "divisor counts the padding (count_include_pad=True)"),
])
def test_a_wrong_divisor_is_refuted_and_named(fn, count_include_pad, diagnosis):
    domain = "n <= 4, K <= 3, s <= 2, p <= 1"
    assert sc.check_implementation(fn, "avg_pool", domain=domain,
                                   count_include_pad=not count_include_pad).verdict == "verified"
    p = sc.check_implementation(fn, "avg_pool", domain=domain,
                                count_include_pad=count_include_pad)
    assert (p.verdict, p.diagnosis) == ("refuted", diagnosis)
    assert [p.counterexample[v] for v in "nKsp"] == [1, 2, 1, 1]
    assert {p.counterexample["implementation"], p.counterexample["reference"]} == \
        {"x_{0,0}", "x_{0,0}/2"}


def test_a_pool_lift_reads_exact_fractions_and_refuses_a_guess():
    from symconv.lift import lift_linear

    op = lift_linear(mean_pool, (5,), max_denominator=3, kernel_size=3, stride=2, padding=1)
    assert op.matrix == sc.avg_pool((5,), (3,), stride=2, padding=1).matrix
    with pytest.raises(ImplementationError, match="denominator at most 3"):
        lift_linear(lambda x, **kw: mean_pool(x, **kw) * 3 / 7, (5,), max_denominator=3,
                    kernel_size=3, stride=2, padding=1)
    with pytest.raises(NotBilinearError,
                       match="check 'additive in x'"):
        lift_linear(lambda x, **kw: np.maximum(x[:, :-1], x[:, 1:]), (5,), max_denominator=2)


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------

def test_cli_verified_and_json(capsys):
    code = main(["check-impl", "tests.test_implementations:naive", "--domain",
                 "n <= 3, K <= 2", "--json"])
    document = json.loads(capsys.readouterr().out)
    assert (code, document["verdict"], document["diagnosis"]) == (4, "verified", None)


def test_cli_refuted_prints_the_diagnosis(capsys):
    code = main(["check-impl", "tests.test_implementations:flipped", "--domain",
                 "n <= 3, K <= 2"])
    assert code == 1 and "Diagnosis: kernel flipped" in capsys.readouterr().out


flipped = bug(flip=True)


def test_cli_avg_pool_conventions(capsys):
    target = "tests.test_implementations:real_divisor"
    assert main(["check-impl", target, "--reference", "avg_pool", "--domain",
                 "n <= 4, K <= 2, p <= 1", "--exclude-pad"]) == 4
    assert main(["check-impl", target, "--reference", "avg_pool", "--domain",
                 "n <= 4, K <= 2, p <= 1"]) == 1
    assert "Diagnosis: divisor excludes the padding" in capsys.readouterr().out


@pytest.mark.parametrize("target, message", [
    ("no_such_module_xyz:f", "does not import"),
    ("symconv.implementations:NO_VARIANT", "must name a callable"),
    ("numpy", "must name a module and a function"),
    ("numpy:add", "fn add raised TypeError"),
])
def test_cli_bad_input_exits_2_without_traceback(target, message):
    result = subprocess.run([sys.executable, "-m", "symconv", "check-impl", target, "--domain",
                             "n <= 2, K <= 2"], capture_output=True, text=True)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_a_module_that_raises_on_import_and_bad_options_exit_2(tmp_path):
    from pathlib import Path

    (tmp_path / "broken_conv.py").write_text("raise RuntimeError('no GPU here\\nmore')\n")
    root = str(Path(__file__).resolve().parent.parent)
    env = {**__import__("os").environ, "PYTHONPATH": root + __import__("os").pathsep
           + str(tmp_path)}
    for argv, message, lines in [
        (["broken_conv:conv"], "does not import, got 'broken_conv:conv' (valid: RuntimeError: "
                               "no GPU here)", 1),
        (["numpy:add", "--exclude-pad"], "count_include_pad / ceil_mode must keep", 1),
        (["numpy:add", "--domain", "n <"], "domain is not valid text at column 4", 4),  # caret
    ]:
        result = subprocess.run([sys.executable, "-m", "symconv", "check-impl", *argv],
                                capture_output=True, text=True, env=env, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == lines


def test_errors_are_symconv_errors():
    assert issubclass(ImplementationError, sc.SymconvError)


def test_check_layer_verifies_torch_and_refutes_a_flip_at_one_geometry():
    from symconv.implementations import check_layer

    conv2d = torch_conv(F.conv2d)
    g = sc.Geometry((12, 10), (3, 3), stride=2, padding=1, dilation=(1, 2))
    p = check_layer(conv2d, g, in_channels=4, out_channels=6, groups=2)
    assert (p.verdict, p.scope) == ("verified", "stated sizes")
    assert "2 trials" in p.steps[0].text and f"{2 * 9 + 16} calls" in p.steps[1].text

    def flipped_rows(x, w, **kw):
        return conv2d(x, np.ascontiguousarray(w[..., ::-1, :]), **kw)

    p = check_layer(flipped_rows, g, in_channels=4, out_channels=6, groups=2)
    assert p.verdict == "refuted" and p.counterexample["implementation"] != \
        p.counterexample["reference"]


def test_the_derivation_script_gets_its_expected_verdicts(derivation_runs):
    code, _, out, err = derivation_runs["checking_implementations"]  # run once per suite
    assert code == 0, out[-2000:] + err[-2000:]
