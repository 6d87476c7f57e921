"""Grammar files (``*.lark``) of symconv's input languages; see :mod:`symconv.grammar`."""
