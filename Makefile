VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install test lint demo results hybrids optimisation rl benchmarks clean

$(STAMP): pyproject.toml requirements-cpu.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-cpu.txt
	$(PY) -m pip install --quiet -c requirements-cpu.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks examples

test: lint
	$(VENV)/bin/pytest

demo: $(STAMP)
	$(VENV)/bin/weakgrad compare --problem rosenbrock --dim 2 --loc=-1,1 --scale 0.1 \
		--estimators sf,sf-rloo,antithetic,mvd,pathwise --budgets 8,16,32,64,128 --repeats 200 --out results/demo
	$(VENV)/bin/weakgrad figure rosenbrock --out results/demo
	@echo "demo results are in $(CURDIR)/results/demo: results.csv, config.json and the PNG figures"

results: $(STAMP)
	$(PY) benchmarks/results.py

hybrids: $(STAMP)
	$(PY) benchmarks/hybrids.py

optimisation: $(STAMP)
	$(PY) benchmarks/optimisation.py

rl: $(STAMP)
	$(PY) benchmarks/rl.py

benchmarks: $(STAMP)
	$(PY) benchmarks/overhead.py

clean:
	rm -rf $(VENV) results
