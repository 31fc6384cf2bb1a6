# make bench-rss: idle RSS of skiff server / runtime / agent with per-mapping breakdowns (runtime and agent need root).
.PHONY: bench-rss
bench-rss: build-release
	SKIFF_BIN=$(CURDIR)/$(BIN_RELEASE) python3 bench/rss/idle_rss.py
