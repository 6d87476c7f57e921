"""Writers that turn a :class:`~symconv.proof.Proof` into text, LaTeX or Markdown."""
