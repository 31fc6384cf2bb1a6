.PHONY: bench-scheduler bench-scheduler-api

# Scheduler throughput: the algorithm alone and the driver against the in-memory API, then the
# same 10,000 pods on 5,000 nodes through the real API server on SQLite.
bench-scheduler: bench-scheduler-api
	$(SWIFT) build -c release --product bench-scheduler
	.build/release/bench-scheduler 5000 10000

bench-scheduler-api: build-release
	SKIFF_BIN=$(CURDIR)/$(BIN_RELEASE) python3 bench/scheduler_bench.py
