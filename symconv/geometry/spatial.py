"""What every frozen spec shares: its number of spatial axes, and its display in Jupyter."""

from __future__ import annotations

import dataclasses
import html


class Spatial:
    """What every spec shares: its number of spatial axes, and its display in Jupyter."""

    input_shape: tuple[int, ...]

    @property
    def ndim(self) -> int:
        """Number of spatial axes."""
        return len(self.input_shape)

    def display_rows(self) -> list[tuple[str, str]]:
        """``(field, value)`` of every field and the output shape, values as Python writes
        them (a one-element tuple is ``(24,)``).

        Examples
        --------
        >>> from symconv.geometry import Geometry
        >>> Geometry((24,), (3,)).display_rows()[-1]
        ('output_shape', '(22,)')
        """
        rows = [(f.name, repr(getattr(self, f.name))) for f in dataclasses.fields(self)]
        if "output_shape" not in {name for name, _ in rows}:
            rows.append(("output_shape", repr(self.output_shape)))
        return rows

    def _repr_html_(self) -> str:
        """Jupyter: a two-column table of :meth:`display_rows` under the class name."""
        cells = "".join(f"<tr><td><code>{html.escape(name)}</code></td>"
                        f"<td><code>{html.escape(value)}</code></td></tr>"
                        for name, value in self.display_rows())
        return (f"<table><caption>{type(self).__name__}</caption>"
                f"<tbody>{cells}</tbody></table>")

    def _repr_latex_(self) -> str:
        r"""Jupyter (LaTeX): the fields as an array, names and values as typewriter text.

        Examples
        --------
        >>> from symconv.geometry import Geometry
        >>> print(Geometry((4,), (3,))._repr_latex_())  # doctest: +ELLIPSIS
        $\begin{array}{ll} \text{Geometry} & \\ \texttt{input\_shape} & \texttt{(4,)} \\ ...
        """
        def tt(text: str) -> str:
            return r"\texttt{" + "".join(_TT_ESCAPES.get(c, c) for c in text) + "}"
        rows = " \\\\ ".join(f"{tt(name)} & {tt(value)}" for name, value in self.display_rows())
        return (r"$\begin{array}{ll} \text{" + type(self).__name__ + r"} & \\ " + rows
                + r" \end{array}$")


#: Characters ``\texttt`` cannot take as they are.
_TT_ESCAPES = {"_": r"\_", "{": r"\{", "}": r"\}", "#": r"\#", "%": r"\%", "&": r"\&",
               "$": r"\$", "~": r"\textasciitilde{}",
               "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}
