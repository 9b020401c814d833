.DEFAULT_GOAL := help
PY ?= python3

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

dev: ## build the extension in place (editable install with test extras)
	rm -f python/arclean/_core*.so
	$(PY) -m pip install -e ".[test]"

test: ## run every test: the core's cargo tests, then pytest
	cargo test -p arclean-core
	$(PY) -m pytest

lint: ## rustfmt and clippy on the workspace
	cargo fmt --all -- --check
	cargo clippy --workspace -- -D warnings

train: ## fit the labeller on the labelled pages beside the project; writes rust/core/src/model.txt
	$(PY) -m pip install -e ".[train]"
	$(PY) tools/train.py

eval: ## the labeller cross-validated by site (each site scored by a model fitted without it)
	$(PY) -m pip install -e ".[train]"
	$(PY) tools/evaluate.py

bench: ## release build, then the throughput benches beside the alternatives
	$(PY) -m pip install ".[bench]"
	$(PY) -m pytest benches --benchmark-only -p no:cacheprovider
	$(PY) -m pytest benches/test_linear.py -p no:cacheprovider
	cargo run --release -p arclean-core --example throughput -- samples/*.txt
	cargo run --release -p arclean-core --example clean_throughput -- samples/*.txt

.PHONY: help dev test lint bench train eval
