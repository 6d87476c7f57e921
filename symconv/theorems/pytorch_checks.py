"""Cross-checks against PyTorch for the training theorems: run, or say they were not run.

PyTorch is an optional backend. A theorem that has a PyTorch counterpart (softmax,
cross-entropy, dropout, batch norm, SGD) asks :func:`torch_cross_check` for its
numeric support: the answer is ``True``/``False`` when torch ran and ``None`` when it
is absent, with the step that says which (``"not run: PyTorch is not installed"``),
so a proof never names evidence that was not gathered.

Examples
--------
>>> agrees, step = torch_cross_check("torch.add", lambda torch: True)
>>> agrees in (True, None), step.title
(True, 'PyTorch')
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from ..proof import Step
from .common import TORCH_NOT_RUN, optional_backend


def torch_cross_check(what: str, check: Callable[[ModuleType], bool],
                      how: str = "") -> tuple[bool | None, Step]:
    """Run ``check(torch)`` when PyTorch imports; its verdict and the step that reports it.

    Parameters
    ----------
    what : str
        The PyTorch function compared against (``"torch.softmax"``).
    check : callable
        Takes the torch module, returns whether PyTorch agrees.
    how : str
        What was compared, with its tolerance (one sentence).

    Returns
    -------
    agrees : bool or None
        None when PyTorch is not installed (nothing was run, nothing is claimed).
    step : Step
        The "PyTorch" step of the derivation.
    """
    torch = optional_backend("torch")
    if torch is None:
        return None, Step("PyTorch", f"The cross-check against {what} is {TORCH_NOT_RUN}; "
                          "PyTorch's agreement is not claimed.")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny tensors: a thread pool only waits on a busy machine
    try:
        agrees = bool(check(torch))
    finally:
        torch.set_num_threads(threads)
    verdict = "agrees" if agrees else "disagrees"
    return agrees, Step("PyTorch", f"Cross-check against {what} (support, not proof): "
                        f"PyTorch {verdict}. {how}".strip())
