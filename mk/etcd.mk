.PHONY: test-etcd
# etcd acceptance (the storage contract suite on a real etcd runs in `swift test`): a three-member
# etcd cluster under one and two API servers (member loss, cross-server watches, scheduler
# failover), then the API-server acceptance scenarios again with every server on etcd.
test-etcd:
	SKIFF_BIN=$(CURDIR)/$(BIN_DEBUG) python3 -m pytest -q -s tests/etcd
	SKIFF_STORE=etcd SKIFF_BIN=$(CURDIR)/$(BIN_DEBUG) python3 -m pytest -q tests/acceptance
