# Storage through CSI: the CSI conformance suite (real driver, real socket, real bind mounts as
# root; the kill -9 tests run `skiff csi-hostpath` as its own process) and the volume startup
# benchmark (make bench-volumes).
.PHONY: test-csi bench-volumes

test-csi: deps
	$(SWIFT) build --product skiff
	$(SWIFT) build --product skiffPackageTests
	$(SWIFT) test --skip-build --filter CSIDriverTests

bench-volumes: deps
	bash bench/volumes/run.sh $(RUNTIME_SCRATCH)
