# Access control: the cost of RBAC, admission and audit on pod creates (also part of bench-api).
.PHONY: bench-access test-access

bench-access: build-release
	SKIFF_BIN=$(CURDIR)/$(BIN_RELEASE) BENCH_PARTS=access python3 bench/api_bench.py

test-access:
	SKIFF_BIN=$(CURDIR)/$(BIN_DEBUG) python3 -m pytest -q tests/acceptance/test_access.py
