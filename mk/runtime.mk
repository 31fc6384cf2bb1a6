# Container runtime: CRI conformance against our runtime and containerd (root, real processes),
# and the CRI benchmark. RUNTIME_SCRATCH picks the build directory (default: the shared .build).
RUNTIME_SCRATCH ?= .build

.PHONY: test-runtime bench-cri images

images:
	bash scripts/build-images.sh /tmp/skiff-images

test-runtime: deps
	bash tests/runtime/run.sh $(RUNTIME_SCRATCH)

bench-cri: deps
	bash bench/cri/run.sh $(RUNTIME_SCRATCH)

.PHONY: test-kubelet bench-startup
test-kubelet: deps
	bash tests/kubelet/run.sh $(RUNTIME_SCRATCH)

bench-startup: deps
	bash bench/startup/run.sh $(RUNTIME_SCRATCH)
