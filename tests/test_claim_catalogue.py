"""Catalogue theorems defined by their claim text: same verdicts and evidence, checked by
:func:`symconv.check` at each point (with channels and groups), refuted where they fail."""

from __future__ import annotations

import pytest

import symconv as sc

MOVED = ["flip", "dilation", "stride-as-subsampling", "transposed-as-convolution"]
CHANNELS = {"in_channels": 4, "out_channels": 2, "groups": 2}


@pytest.mark.parametrize("name", MOVED)
def test_a_moved_theorem_is_checked_by_its_claim(name):
    p = sc.prove(name, exhaustive=False)
    assert p.verdict == "proved" and p.evidence[:2] in (["parametric", "symbolic"],
                                                        ["symbolic", "numeric"])
    claim = next(step for step in p.steps if step.title == "Claim")
    assert "Signals with symbolic entries" in claim.text
    assert "numeric" in p.evidence


@pytest.mark.parametrize("name, point", [
    ("flip", {"input_shape": (4,), "kernel_shape": (2,), **CHANNELS}),
    ("dilation", {"input_shape": (5,), "kernel_shape": (2,), "dilation": 2, "stride": 2,
                  **CHANNELS}),
    ("stride-as-subsampling", {"input_shape": (5, 4), "kernel_shape": (2, 2),
                               "stride": (2, 3), "padding": "same", **CHANNELS}),
    ("transposed-as-convolution", {"input_shape": (3,), "kernel_shape": (2,), "stride": 2,
                                   "padding": 2, "output_padding": 1, "dilation": 2,
                                   "in_channels": 4, "out_channels": 6, "groups": 2}),
])
def test_a_moved_theorem_holds_with_channels_groups_and_odd_geometry(name, point):
    assert sc.prove(name, **point).verdict == "proved"


@pytest.mark.parametrize("name, point, reason", [
    ("transposed-as-convolution", {"pad_rule": "notes"}, "entries differ"),
    ("transposed-as-convolution", {"input_shape": (1,), "kernel_shape": (1,), "stride": 1,
                                   "padding": 0, "output_padding": 1, "dilation": 2,
                                   "insertion": "after", "pad_rule": "notes"}, "entries differ"),
])
def test_the_wrong_variants_are_refuted_by_the_claim_checker(name, point, reason):
    p = sc.prove(name, **point)
    assert p.verdict == "refuted" and p.counterexample["reason"].startswith(reason)
