.PHONY: bench-scheduler

# Scheduler throughput: the algorithm alone and the driver against the in-memory API.
bench-scheduler:
	$(SWIFT) build -c release --product bench-scheduler
	.build/release/bench-scheduler 5000 10000
