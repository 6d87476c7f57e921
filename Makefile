# Two commands a new user needs:
#   make demo   set up (virtual environment, install) and run every proof script, writing notes/
#   make test   set up (incl. torch CPU, pdflatex, KaTeX where installable) and run the whole suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup tools demo test bench lint clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -e ".[test]"
	# The CPU build of PyTorch (a bare `torch` would pull a multi-GB CUDA build).
	$(PY) -m pip install -q torch==2.13.0
	# Live oracles for the TensorFlow/Keras and JAX conventions (CPU builds; tests skip without them).
	$(PY) -m pip install -q tensorflow-cpu==2.21.0 "jax[cpu]==0.10.2"
	touch $@

setup: $(VENV)/.installed

# Real renderers for the derivation tests: pdflatex (Debian) and KaTeX (npm).
tools:
	@{ command -v pdflatex && kpsewhich tikz.sty && command -v xelatex; } >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && apt-get install -y -qq --no-install-recommends \
	   texlive-latex-base texlive-latex-recommended texlive-pictures poppler-utils \
	   texlive-xetex fonts-arphic-uming \
	   >/dev/null) || \
	  echo "pdflatex not installed: LaTeX compile tests will skip"; }
	@[ -d node_modules/katex ] || { command -v npm >/dev/null 2>&1 && \
	  npm install --silent --no-audit --no-fund --no-save katex >/dev/null 2>&1; } || \
	  echo "KaTeX not installed: KaTeX render tests will skip"

demo: setup
	$(VENV)/bin/symconv prove --all
	$(PY) derivations/run_all.py --notes notes

test: setup tools
	$(PY) -m pytest

bench: setup
	$(PY) benchmarks/run.py

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) notes .pytest_cache .hypothesis
