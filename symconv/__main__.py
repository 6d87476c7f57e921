"""``python -m symconv``: the command line."""

from .cli import main

raise SystemExit(main())
