.PHONY: bench-scheduler bench-scheduler-api bench-simulate

# Scheduler throughput: the algorithm alone and the driver against the in-memory API, then the
# same 10,000 pods on 5,000 nodes through the real API server on SQLite.
bench-scheduler: bench-scheduler-api bench-simulate
	SWIFT=$(SWIFT) bash scripts/build-release.sh $(CURDIR)/.build bench-scheduler
	.build/release/bench-scheduler 5000 10000

bench-scheduler-api: build-release
	SKIFF_BIN=$(CURDIR)/$(BIN_RELEASE) python3 bench/scheduler_bench.py

# End to end on simulated nodes: 1,000 pods to Running on 500 `skiff simulate` kubelets.
bench-simulate: build-release
	SKIFF_BIN=$(CURDIR)/$(BIN_RELEASE) python3 bench/simulate_bench.py
