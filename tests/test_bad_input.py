"""Every malformed input is a named error: one table of bad arguments per public entry point.

Each row gives the call, the error class, and fragments the message must contain: the
parameter's name and the value given. The CLI rows must exit 2 with no traceback. The
size guards must refuse runaway work fast, naming the limit; outputs are written all
together or not at all, and SIGTERM during a write leaves no temporary file.
"""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import symconv as sc
from symconv import numeric
from symconv.cli import main
from symconv.errors import (
    GeometryError,
    OperatorError,
    SizeLimitError,
    SymconvError,
)
from symconv.limits import WORK_ENV_VAR
from symconv.render import files
from symconv.validation import boolean, integer

G = sc.Geometry((5,), (3,))
LIMIT = WORK_ENV_VAR


def _message(call) -> tuple[type, str]:
    with pytest.raises(SymconvError) as info:
        call()
    return type(info.value), str(info.value)


# ---------------------------------------------------------------------------
# The validation helper
# ---------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "minimum", "maximum", "message"), [
    (0, 1, None, "stride must be an integer >= 1, got 0 (valid: 1, 2, 3, ...)"),
    (True, 1, None, "stride must be an integer >= 1, got True"),
    (2.0, 1, None, "stride must be an integer >= 1, got 2.0"),
    ("2", 1, None, "stride must be an integer >= 1, got '2'"),
    (None, None, None, "stride must be an integer, got None (valid: any integer)"),
    (7, 0, 5, "stride must be an integer in 0..5, got 7 (valid: 0 to 5)"),
])
def test_integer_names_parameter_value_rule_and_range(value, minimum, maximum, message):
    with pytest.raises(GeometryError) as info:
        integer("stride", value, minimum, maximum)
    assert str(info.value).startswith(message)


def test_integer_accepts_numpy_integers_and_boolean_only_bools():
    assert integer("n", np.int16(3), minimum=1) == 3 and type(integer("n", np.int16(3))) is int
    assert boolean("flag", np.bool_(False)) is False
    for word in ("no", "yes", 0, 1, None):
        with pytest.raises(GeometryError, match="flag must be True or False"):
            boolean("flag", word)


# ---------------------------------------------------------------------------
# sc.Geometry
# ---------------------------------------------------------------------------

GEOMETRY = [
    (dict(input_shape=(0, 5)), "input_shape[0]", "got 0"),
    (dict(input_shape=(-3, 5)), "input_shape[0]", "got -3"),
    (dict(input_shape=(5.0, 5)), "input_shape[0]", "got 5.0"),
    (dict(input_shape=(True, 5)), "input_shape[0]", "got True"),
    (dict(input_shape=("5", 5)), "input_shape[0]", "got '5'"),
    (dict(input_shape="55"), "input_shape", "got '55'"),
    (dict(input_shape=()), "input_shape", "got ()"),
    (dict(input_shape=None), "input_shape", "got None"),
    (dict(input_shape=((5,), 5)), "input_shape[0]", "got (5,)"),
    (dict(input_shape=(1, 1, 1, 1), kernel_shape=(1, 1, 1, 1)), "input_shape",
     "got (1, 1, 1, 1)"),
    (dict(kernel_shape=(3,)), "kernel_shape", "got (3,)"),
    (dict(kernel_shape=(0, 3)), "kernel_shape[0]", "got 0"),
    (dict(kernel_shape=(7, 3)), "kernel_shape[0]", "got 7"),
    (dict(stride=0), "stride", "got 0"),
    (dict(stride=-2), "stride", "got -2"),
    (dict(stride=1.5), "stride", "got 1.5"),
    (dict(stride=True), "stride", "got True"),
    (dict(stride="2"), "stride", "got '2'"),
    (dict(stride=(1, 2, 3)), "stride", "got (1, 2, 3)"),
    (dict(stride=(1, None)), "stride[1]", "got None"),
    (dict(padding=-1), "padding", "got -1"),
    (dict(padding=1.0), "padding", "got 1.0"),
    (dict(padding=True), "padding", "got True"),
    (dict(padding=None), "padding", "got None"),
    (dict(padding="smae"), "padding", "got 'smae'"),
    (dict(padding=(1,)), "padding", "got (1,)"),
    (dict(padding=((0, -1), (0, 0))), "padding[0]", "got -1"),
    (dict(padding=((1, 2, 3), (0, 0))), "padding[0]", "got (1, 2, 3)"),
    (dict(dilation=0), "dilation", "got 0"),
    (dict(dilation=(1, 0)), "dilation[1]", "got 0"),
    (dict(dilation=[2.5, 1]), "dilation[0]", "got 2.5"),
]


@pytest.mark.parametrize(("kwargs", "parameter", "value"), GEOMETRY)
def test_geometry_rejects(kwargs, parameter, value):
    error, message = _message(lambda: sc.Geometry(**{"input_shape": (5, 5),
                                                      "kernel_shape": (3, 3), **kwargs}))
    assert error is GeometryError
    assert message.startswith(parameter) and value in message


# ---------------------------------------------------------------------------
# sc.correlation, sc.convolution, sc.transposed_convolution
# ---------------------------------------------------------------------------

CORRELATION = [
    (dict(geometry=(5,)), OperatorError, "geometry", "got 'tuple'"),
    (dict(in_channels=0), OperatorError, "in_channels", "got 0"),
    (dict(in_channels=1.5), OperatorError, "in_channels", "got 1.5"),
    (dict(in_channels=True), OperatorError, "in_channels", "got True"),
    (dict(out_channels=-1), OperatorError, "out_channels", "got -1"),
    (dict(out_channels="2"), OperatorError, "out_channels", "got '2'"),
    (dict(groups=0), OperatorError, "groups", "got 0"),
    (dict(in_channels=3, groups=2), OperatorError, "groups", "got 2"),
    (dict(in_channels=10**30, out_channels=10**30, groups=7), OperatorError, "groups",
     "a divisor of"),
    (dict(kernel_name="1k"), OperatorError, "kernel_name", "got '1k'"),
    (dict(kernel_name=None), OperatorError, "kernel_name", "got None"),
    (dict(flip="yes"), OperatorError, "flip", "got 'yes'"),
]


@pytest.mark.parametrize(("build", "kwargs", "error", "parameter", "value"), [
    (build, *row) for build in (sc.correlation, sc.convolution) for row in CORRELATION
    if build is sc.correlation or "flip" not in row[0]])
def test_correlation_and_convolution_reject(build, kwargs, error, parameter, value):
    kwargs = {"geometry": G, **kwargs}
    found, message = _message(lambda: build(**kwargs))
    assert found is error and message.startswith(parameter) and value in message


TRANSPOSED = [
    (dict(kernel_shape=None), OperatorError, "kernel_shape", "got None"),
    (dict(stride=0), GeometryError, "stride", "got 0"),
    (dict(padding="same"), GeometryError, "padding", "got 'same'"),
    (dict(padding=5), GeometryError, "padding[0]", "got 5"),
    (dict(stride=2, output_padding=2), GeometryError, "output_padding[0]", "got 2"),
    (dict(output_padding=-1), GeometryError, "output_padding", "got -1"),
    (dict(dilation=0.5), GeometryError, "dilation", "got 0.5"),
    (dict(groups=0), OperatorError, "groups", "got 0"),
    (dict(in_channels="2"), OperatorError, "in_channels", "got '2'"),
    (dict(kernel_name=""), OperatorError, "kernel_name", "got ''"),
]


@pytest.mark.parametrize(("kwargs", "error", "parameter", "value"), TRANSPOSED)
def test_transposed_convolution_rejects(kwargs, error, parameter, value):
    kwargs = {"input_shape": (3,), "kernel_shape": (3,), **kwargs}
    found, message = _message(lambda: sc.transposed_convolution(**kwargs))
    assert found is error and message.startswith(parameter) and value in message


# ---------------------------------------------------------------------------
# sc.avg_pool, sc.max_pool
# ---------------------------------------------------------------------------

POOLS = [
    (dict(count_include_pad="no"), OperatorError, "count_include_pad", "got 'no'"),
    (dict(count_include_pad=0), OperatorError, "count_include_pad", "got 0"),
    (dict(ceil_mode="yes"), GeometryError, "ceil_mode", "got 'yes'"),
    (dict(ceil_mode=1), GeometryError, "ceil_mode", "got 1"),
    (dict(channels=True), OperatorError, "channels", "got True"),
    (dict(channels=0), OperatorError, "channels", "got 0"),
    (dict(channels=2.0), OperatorError, "channels", "got 2.0"),
    (dict(stride=0), GeometryError, "stride", "got 0"),
    (dict(padding=2), GeometryError, "padding[0]", "got 2"),
    (dict(padding=-1), GeometryError, "padding", "got -1"),
    (dict(kernel_shape=(5,)), GeometryError, "kernel_shape[0]", "got 5"),
    (dict(kernel_shape=None), GeometryError, "kernel_shape", "got None"),
    (dict(input_shape=(4, 4)), GeometryError, "kernel_shape", "got (2,)"),
]


@pytest.mark.parametrize("pool", ["avg_pool", "max_pool"])
@pytest.mark.parametrize(("kwargs", "error", "parameter", "value"), POOLS)
def test_pools_reject(pool, kwargs, error, parameter, value):
    if pool == "max_pool" and "count_include_pad" in kwargs:
        kwargs = {"dilation": kwargs["count_include_pad"]}
        error, parameter = GeometryError, "dilation"
    kwargs = {"input_shape": (4,), "kernel_shape": (2,), **kwargs}
    found, message = _message(lambda: getattr(sc, pool)(**kwargs))
    assert found is error and message.startswith(parameter) and value in message


# ---------------------------------------------------------------------------
# op.numeric and op.apply
# ---------------------------------------------------------------------------

NUMERIC = [
    (lambda: sc.correlation(G).numeric("abc"), "w must be a real array of shape (1, 1, 3)",
     "got 'abc'"),
    (lambda: sc.correlation(G).numeric([[["a", "b", "c"]]]), "w must be a real array",
     "got [[['a', 'b', 'c']]]"),
    (lambda: sc.correlation(G).numeric(np.ones((1, 3))), "w must be a real array of shape",
     "got shape (1, 3)"),
    (lambda: sc.correlation(G).numeric(), "w must be a real array", "got None"),
    (lambda: sc.correlation(G).numeric({"w": 1}), "w must be a real array", "got {'w': 1}"),
    (lambda: sc.shift((3,), 1).numeric(np.ones(2)), "w must be omitted", "got 'an array'"),
    (lambda: sc.max_pool((4,), (2,)).numeric("x"), "x must be a real array of shape (1, 4)",
     "got 'x'"),
    (lambda: sc.correlation(G).apply("3"), "x must be an array of shape (1, 5)", "got '3'"),
    (lambda: sc.correlation(G).apply(None), "x must be an array of shape (1, 5)", "got None"),
    (lambda: sc.correlation(G).apply([[1, 2]]), "x must be an array of shape (1, 5)",
     "got shape (1, 2)"),
]


@pytest.mark.parametrize(("call", "rule", "value"), NUMERIC)
def test_numeric_and_apply_name_the_expected_shape(call, rule, value):
    error, message = _message(call)
    assert error is OperatorError and rule in message and value in message


# ---------------------------------------------------------------------------
# Every CLI sub-command: exit 2, the parameter and the value named, no traceback
# ---------------------------------------------------------------------------

CLI = [
    (["prove", "transpose", "--groups", "0"], ["groups", "got 0"]),
    (["prove", "transpose", "--groups", "2"], ["groups", "must divide in_channels=1"]),
    (["prove", "transpose", "--in-channels", "-1"], ["in_channels", "got -1"]),
    (["prove", "transpose", "--out-channels", "2,2"], ["--out-channels", "got '2,2'"]),
    (["prove", "transpose", "--input", "0"], ["input_shape[0]", "got 0"]),
    (["prove", "transpose", "--input", "1.5"], ["--input", "got '1.5'"]),
    (["prove", "transpose", "--input", ""], ["--input", "got ''"]),
    (["prove", "transpose", "--input", "1,,2"], ["--input", "got ''"]),
    (["prove", "transpose", "--kernel", "3,3,3,3", "--input", "5,5,5,5"],
     ["input_shape", "got (5, 5, 5, 5)"]),
    (["prove", "transpose", "--stride", "-1"], ["stride", "got -1"]),
    (["prove", "transpose", "--dilation", "abc"], ["--dilation", "got 'abc'"]),
    (["prove", "transpose", "--padding", "1:2:3"],
     ["--padding must be an integer (1)", "before:after (1:2)", "got '1:2:3'"]),
    (["prove", "transpose", "--padding", "1:"], ["--padding", "got '1:'"]),
    (["prove", "transpose", "--padding", "-1"], ["padding", "got -1"]),
    (["prove", "transpose", "--stride", "99999999999999999999"],
     ["stride[0]", "got 99999999999999999999"]),
    (["prove", "transposed-as-convolution", "--output-padding", "5"],
     ["output_padding[0]", "got 5"]),
    (["prove", "transpose", "--param", "=3"], ["--param", "got '=3'"]),
    (["prove", "flip", "--latex", "/no/such/dir/x.tex"], ["--latex", "'/no/such/dir/x.tex'"]),
    (["list", "nosuchtheorem"], ["theorem", "got 'nosuchtheorem'"]),
    (["shape", "3x0", "conv(1, 1)"], ["input", "'3x0'"]),
    (["shape", "1x8", "conv(1, k=3, p=-1)"], ["p must be an integer in 0..1000000", "got -1"]),
    (["shape", "1x8", "conv(1, k=" + "1" * 200 + ")"],
     ["must be at most 200 characters long, got 211 characters"]),
    (["shape", "1x8", "conv(0, 3)"], ["out", "got 0"]),
    (["fc-vs-conv", "1x32x32", "--kernel", "2", "--out-channels", "0"],
     ["out_channels", "got 0"]),
    (["fc-vs-conv", "1x32x32", "--kernel", "2", "--out-channels", "2,2"],
     ["--out-channels must be one integer", "got '2,2'"]),
    (["fc-vs-conv", "0x32x32", "--kernel", "2"], ["input", "'0x32x32'"]),
    (["fc-vs-conv", "1x32x32", "--kernel", "0"], ["kernel_shape[0]", "got 0"]),
    (["fc-vs-conv", "1x32x32", "--kernel", "2", "--padding", "x:y"], ["--padding", "'x:y'"]),
    (["figure", "window", "--input", "5", "--kernel", "3", "--position", "7"],
     ["--position", "got '7'"]),
    (["figure", "window", "--input", "5,5,5", "--kernel", "3,3,3"],
     ["geometry", "got (5, 5, 5)"]),
    (["figure", "sparsity", "--input", "5", "--kernel", "3", "--stride", "0"],
     ["stride", "got 0"]),
    (["figure", "sparsity", "--input", "5", "--kernel", "3", "--svg", "/no/such/d/a.svg"],
     ["--svg", "'/no/such/d/a.svg'"]),
]


@pytest.mark.parametrize(("argv", "fragments"), CLI, ids=[" ".join(a)[:60] for a, _ in CLI])
def test_cli_bad_input_exits_two_naming_parameter_and_value(capsys, argv, fragments):
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, err
    assert "Traceback" not in out + err and err.startswith("symconv: error: ")
    for fragment in fragments:
        assert fragment in err


def test_cli_subprocess_shows_no_traceback_for_a_crash_that_used_to_be_exit_3():
    result = subprocess.run([sys.executable, "-m", "symconv", "prove", "transpose", "--groups",
                             "0"], capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "groups must be an integer >= 1, got 0" in result.stderr


# ---------------------------------------------------------------------------
# Defaults follow the user's axes; the theorem's parameters on request
# ---------------------------------------------------------------------------

def test_one_dimensional_input_gets_a_one_dimensional_default_kernel(capsys):
    assert main(["prove", "transpose", "--input", "6", "--json"]) == 0
    assert '"kernel_shape": [\n      3\n    ]' in capsys.readouterr().out


def test_one_kernel_size_covers_every_axis_of_the_input(capsys):
    assert main(["prove", "transpose", "--input", "5,5", "--kernel", "3", "--json"]) == 0
    assert '"kernel_shape": [\n      3,\n      3\n    ]' in capsys.readouterr().out


def test_a_default_that_differs_per_axis_keeps_its_axes(capsys):
    assert main(["prove", "separable", "--input", "6"]) == 2
    err = capsys.readouterr().err
    assert "kernel_shape must have as many axes as input_shape (6,), got (3, 2)" in err


@pytest.mark.parametrize("argv", [["prove", "transpose", "--help"], ["list", "transpose"]])
def test_theorem_parameters_and_defaults_on_request(capsys, argv):
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "transpose  [structure]" in out and "--input 4,4" in out and "--groups 1" in out


# ---------------------------------------------------------------------------
# Size guards: refused fast, with the estimate and the limit's name
# ---------------------------------------------------------------------------

GUARDED_CALLS = [
    lambda: sc.correlation(sc.Geometry((8,), (3,)), in_channels=10**6, out_channels=10**6),
    lambda: sc.transposed_convolution((10**8,), (3,)),
    lambda: sc.max_pool((10**5, 10**5), (2, 2)),
    lambda: sc.avg_pool((10**9,), (2,), channels=3),
    lambda: sc.shift((10**9,), 1, channels=4),
    lambda: sc.zero_insertion((10**9,), 2, channels=2),
    lambda: numeric.correlate(np.ones((1, 5)), np.ones((1, 1, 3)),
                              sc.Geometry((5,), (3,), padding=10**9)),
    lambda: sc.correlation(sc.Geometry((300, 300), (3, 3))).numeric(np.ones((1, 1, 3, 3))),
]


@pytest.mark.parametrize("call", GUARDED_CALLS)
def test_operators_refuse_runaway_work_fast(call):
    # refused before the work starts (how fast: benchmarks/run.py, figure 8)
    with pytest.raises(SizeLimitError, match=f"would need about .* GB .*{LIMIT}"):
        call()


@pytest.mark.parametrize("argv", [
    ["prove", "transpose", "--input", "100000000"],
    ["prove", "transpose", "--in-channels", "1000000", "--out-channels", "1000000"],
    ["figure", "sparsity", "--input", "2000,2000", "--kernel", "3,3"],
    ["figure", "window", "--input", "100000000", "--kernel", "3"],
])
def test_cli_refuses_runaway_work_fast(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert LIMIT in err and "would need about" in err and "Traceback" not in err


def test_the_work_limit_follows_the_environment(monkeypatch):
    monkeypatch.setenv(LIMIT, "1000")
    with pytest.raises(SizeLimitError, match=f"limit {LIMIT} = 1000 bytes"):
        sc.correlation(sc.Geometry((8,), (3,)))
    monkeypatch.setenv(LIMIT, "lots")
    with pytest.raises(SizeLimitError, match=f"{LIMIT} must be a positive integer, got 'lots'"):
        sc.correlation(sc.Geometry((8,), (3,)))


# ---------------------------------------------------------------------------
# Outputs: checked before any work, written all together or none
# ---------------------------------------------------------------------------

def _no_proof(*args, **kwargs):
    raise AssertionError("the proof ran before the output paths were checked")


@pytest.mark.parametrize("bad", ["missing/x.md", "", "dir"])
def test_a_bad_output_path_stops_the_command_before_any_work(capsys, tmp_path, monkeypatch,
                                                             bad):
    (tmp_path / "dir").mkdir()
    monkeypatch.setattr(importlib.import_module("symconv.theorems"), "prove", _no_proof)
    tex, md = tmp_path / "t.tex", tmp_path / bad
    code = main(["prove", "flip", "--latex", str(tex), "--markdown", str(md)])
    assert code == 2 and "--markdown must name a file" in capsys.readouterr().err
    assert sorted(os.listdir(tmp_path)) == ["dir"]


def test_same_path_for_two_outputs_writes_nothing(capsys, tmp_path):
    target = tmp_path / "same.txt"
    code = main(["prove", "flip", "--input", "3", "--kernel", "2", "--latex", str(target),
                 "--markdown", str(target)])
    err = capsys.readouterr().err
    assert code == 2 and "--latex and --markdown must name different files" in err
    assert os.listdir(tmp_path) == []


def test_write_all_writes_none_when_one_target_fails(tmp_path, monkeypatch):
    first, second = tmp_path / "a.tex", tmp_path / "b.md"
    first.write_text("old\n")
    real_replace = os.replace
    calls = []

    def replace_then_fail(src, dst):
        calls.append(dst)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", replace_then_fail)
    with pytest.raises(SymconvError, match="cannot write .*a.tex: No space left on device"):
        files.write_all({first: "new a\n", second: "new b\n"})
    monkeypatch.setattr(os, "replace", real_replace)
    assert first.read_text() == "old\n" and sorted(os.listdir(tmp_path)) == ["a.tex"]
    assert len(calls) == 1


SLOW_WRITER = textwrap.dedent("""
    import os, sys, time
    from symconv.render import files

    def slow_fsync(fd):
        print("writing", flush=True)
        time.sleep(60)

    os.fsync = slow_fsync
    files.write_all({sys.argv[1]: "new a\\n", sys.argv[2]: "new b\\n"})
""")


def test_sigterm_during_a_write_leaves_no_temporary_file(tmp_path):
    old = tmp_path / "a.tex"
    old.write_text("old\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(old), str(tmp_path / "b.md")],
                             stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout.readline().strip() == "writing"
        assert any(name.endswith(".tmp") for name in os.listdir(tmp_path))
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=20) == -signal.SIGTERM
    finally:
        child.kill()
        child.stdout.close()
    assert sorted(os.listdir(tmp_path)) == ["a.tex"] and old.read_text() == "old\n"

