"""Timings of the network calculator (``symconv shape``) on ResNet-50.

Run ``python benchmarks/network.py``: the calculation after imports from the network text
and from the torch module (torch.fx trace, module on the meta device), and the whole
``symconv shape --file`` process, with whether SymPy was imported on its path. Medians of 5.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from run import seconds  # noqa: E402 - the benchmarks' one timing helper

ROOT = Path(__file__).resolve().parent.parent
RESNET50 = ROOT / "derivations" / "networks" / "resnet50.txt"




def main() -> int:
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    from test_network_torch import MODELS, _on_meta

    from symconv.network import evaluate, format_table, network_from_torch, parse_network

    text = RESNET50.read_text()
    format_table(evaluate(parse_network(text)))  # the grammar's parser is built once
    from_text = seconds(lambda: format_table(evaluate(parse_network(text))), repeats=5)
    module = _on_meta(MODELS["resnet50"])
    from_torch = seconds(lambda: evaluate(network_from_torch(module, "3x224x224")), repeats=5)
    command = [sys.executable, "-X", "importtime", "-m", "symconv", "shape", "--file",
               str(RESNET50)]
    imports: list[str] = []

    def whole() -> None:
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
        imports.append(done.stderr)

    process = seconds(whole, repeats=5)
    sympy = any("sympy" in text for text in imports)
    print(f"ResNet-50 from text, parse + evaluate + table: {from_text * 1000:.1f} ms")
    print(f"ResNet-50 from the torch module (fx trace + evaluate): {from_torch * 1000:.1f} ms")
    print(f"symconv shape --file resnet50.txt, whole process (with -X importtime): "
          f"{process:.2f} s; SymPy imported: {sympy}")
    return 0 if max(from_text, from_torch) < 0.5 and not sympy else 1


if __name__ == "__main__":
    sys.exit(main())
