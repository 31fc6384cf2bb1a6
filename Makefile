# Skiff: make run (one-node cluster), make test (everything), make bench (all benchmarks).
SWIFT ?= swift
DATA_DIR ?= /var/lib/skiff
# make run STORE=etcd: a local one-member etcd (data under $(DATA_DIR)/etcd) and the server on it;
# make bench-api STORE=etcd: the API benchmark on SQLite and on etcd (one member and three).
STORE ?= sqlite
BIN_DEBUG = .build/debug/skiff
BIN_RELEASE = .build/release/skiff

.PHONY: deps build build-release run test test-unit test-acceptance bench bench-api

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build

build-release: deps
	SWIFT=$(SWIFT) bash scripts/build-release.sh

run: build-release
ifeq ($(STORE),etcd)
	bash scripts/with-etcd.sh $(DATA_DIR)/etcd $(BIN_RELEASE) server --data-dir $(DATA_DIR)
else
	$(BIN_RELEASE) server --data-dir $(DATA_DIR)
endif

# The test bundle by product: --build-tests would also build every dependency's executables.
test: deps
	$(SWIFT) build --product skiff
	$(SWIFT) build --product skiffPackageTests
	$(SWIFT) test --skip-build
	$(MAKE) test-acceptance
	$(MAKE) test-etcd
	$(MAKE) test-runtime
	$(MAKE) test-kubelet

bench: bench-api bench-rss bench-cri bench-startup bench-scheduler bench-volumes

-include mk/*.mk

test-acceptance:
	SKIFF_BIN=$(CURDIR)/$(BIN_DEBUG) python3 -m pytest -q tests/acceptance

bench-api: build-release
	STORE=$(STORE) SKIFF_BIN=$(CURDIR)/$(BIN_RELEASE) python3 bench/api_bench.py
