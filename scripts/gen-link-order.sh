#!/usr/bin/env bash
# Regenerates scripts/link-order.txt.gz, the functions a running skiff executes, which the release
# link lays out first and together (Package.swift, --symbol-ordering-file).
#
# Why: the kernel maps a binary's code into a process 64 KB at a time (fault-around), so a process
# that runs a few MB of code scattered over a 38 MB .text ends up with most of the .text in its RSS.
# With the executed functions side by side, an idle server's resident code drops from ~24 MB to a
# few MB, and the same for `skiff runtime` and `skiff agent`.
#
# How: a stripped copy of the release binary runs under valgrind's callgrind (which lists every
# function that ran) as a control plane, a runtime and a kubelet, with real pods from a loopback
# registry driven by kubectl: create, readiness, logs, exec, delete; then the CRI benchmark's pods
# and the `skiff cri` commands straight against the runtime. A stale file costs only layout: names
# that no longer exist are ignored. Needs root and valgrind; not part of `make test`.
#
# The file is grouped by which processes ran each function, in an order that keeps each process's
# functions in one stretch: runtime only, runtime and server, all three, runtime and agent, agent
# only, agent and server, server only, then the rest (command-line clients). Sorted as one list,
# a runtime would touch every part of the region that the server and the kubelet use as well.
# Usage: scripts/gen-link-order.sh [SCRATCH_PATH]
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "scripts/gen-link-order.sh needs root" >&2; exit 1; }
command -v valgrind > /dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SCRATCH="${1:-$ROOT/.build}"
cd "$ROOT"
bash scripts/build-release.sh "$SCRATCH"
T="$(mktemp -d /tmp/skiff-link-order.XXXXXX)"
# valgrind cannot read the toolchain's DWARF 5; it needs only the symbol table.
objcopy --strip-debug "$SCRATCH/release/skiff" "$T/skiff-bin"
cat > "$T/skiff-callgrind" <<EOF
#!/bin/sh
exec valgrind --tool=callgrind --demangle=no --dump-instr=no --collect-jumps=no -q --callgrind-out-file="$T/callgrind.%p" "$T/skiff-bin" "\$@"
EOF
chmod +x "$T/skiff-callgrind"
SKIFF_BIN="$T/skiff-callgrind"
source "$ROOT/tests/runtime/env.sh"

# Everything runs 20-50x slower under valgrind: waits of up to 300 s.
slow_wait() { WAIT_TRIES=3000 wait_for "$@"; }

start_registry
start_skiff skiff
RUNTIME_PID=$SKIFF_PID
API_PORT="$(free_port)"
"$SKIFF_BIN" server --disable-agent --data-dir "$T/server" --port "$API_PORT" --log-level warning > "$T/server.log" 2>&1 &
SERVER_PID=$!
PIDS+=($SERVER_PID)
slow_wait "API server" curl -skf "https://127.0.0.1:$API_PORT/healthz"
"$SKIFF_BIN" agent --server "https://127.0.0.1:$API_PORT" --token "$(cat "$T/server/pki/admin.token")" \
  --ca-file "$T/server/pki/ca.crt" --node-name node-order --node-ip 127.0.0.1 --kubelet-address 127.0.0.1 \
  --kubelet-port "$(free_port)" --container-runtime-endpoint "unix://$T/skiff/cri.sock" \
  --kubelet-root-dir "$T/kubelet" --pod-logs-dir "$T/pod-logs" --kubelet-cgroup-root "$CGROUP_ROOT/kubepods" \
  --log-level warning > "$T/agent.log" 2>&1 &
AGENT_PID=$!
PIDS+=($AGENT_PID)
export KUBECONFIG="$T/server/admin.kubeconfig"
slow_wait "node" kubectl get node node-order
kubectl create configmap web --from-literal=index.html=hello
for i in 1 2 3; do
  cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata: {name: web-$i, labels: {app: web}}
spec:
  containers:
  - name: main
    image: busybox:latest
    command: [httpd, -f, -p, "8080", -h, /www]
    env: [{name: GREETING, valueFrom: {configMapKeyRef: {name: web, key: index.html}}}]
    readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 2}
    livenessProbe: {exec: {command: ["true"]}, periodSeconds: 5}
    resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 64Mi}}
    volumeMounts: [{name: www, mountPath: /www}]
  volumes: [{name: www, configMap: {name: web}}]
EOF
done
slow_wait "pods ready" kubectl wait --for=condition=Ready pod -l app=web --timeout=10s
kubectl get pods -o wide
kubectl logs web-1 > /dev/null
kubectl exec web-1 -- cat /www/index.html > /dev/null
kubectl describe pod web-2 > /dev/null
sleep 20  # steady state: relists, probes, leases, status
kubectl delete pod web-1 web-2 web-3 --wait=true --timeout=300s
sleep 5
# The runtime as the CRI benchmark and the `skiff cri` commands drive it (no kubelet in between).
CRI=(--runtime-endpoint "$T/skiff/cri.sock")
"$SKIFF_BIN" cri bench "${CRI[@]}" --pods 3 --cgroup-parent "$CGROUP_ROOT/bench" --log-directory "$T/bench-logs" > /dev/null
for command in pods ps images stats; do "$SKIFF_BIN" cri "$command" "${CRI[@]}" > /dev/null; done
"$SKIFF_BIN" cri bench "${CRI[@]}" --cleanup > /dev/null
# Graceful stops, so that callgrind writes its files.
for pid in $AGENT_PID $SERVER_PID $RUNTIME_PID; do kill -TERM "$pid" 2>/dev/null || true; done
for pid in $AGENT_PID $SERVER_PID $RUNTIME_PID; do
  for _ in $(seq 1 240); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
done
python3 - "$T" "$ROOT/scripts/link-order.txt" <<'EOF'
import glob, re, sys
tmp, out = sys.argv[1], sys.argv[2]
ROLES = ("runtime", "server", "agent")
# Each process's stretch stays whole for the runtime and the agent, the two measured with pods.
GROUPS = [{"runtime"}, {"runtime", "server"}, {"runtime", "server", "agent"}, {"runtime", "agent"},
          {"agent"}, {"agent", "server"}, {"server"}, set()]
runners = {}  # function -> roles that ran it
files = glob.glob(f"{tmp}/callgrind.*")
for path in files:
    objects, names, current, role = {}, {}, None, None
    for line in open(path, errors="replace"):
        if line.startswith("cmd:"):
            words = line.split()
            role = words[2] if len(words) > 2 and words[2] in ROLES else None
            continue
        m = re.match(r"^(ob|cob|fn|cfn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if not m:
            continue
        kind, index, name = m.groups()
        table = objects if kind in ("ob", "cob") else names
        if name is not None:
            table[index] = name
        if kind == "ob":
            current = objects.get(index)
        elif kind == "fn" and current == f"{tmp}/skiff-bin":
            function = re.sub(r"'\d+$", "", names[index])
            if not function.startswith("0x"):
                runners.setdefault(function, set()).update({role} if role else set())
with open(out, "w") as f:
    for group in GROUPS:
        f.writelines(n + "\n" for n in sorted(n for n, r in runners.items() if r == group))
print(f"{len(runners)} functions from {len(files)} processes -> {out}")
EOF
# What git keeps; build-release.sh unpacks it before every release link.
gzip -9nc "$ROOT/scripts/link-order.txt" > "$ROOT/scripts/link-order.txt.gz"
# SwiftPM does not know the order file is an input of the link: link again with it.
rm -f "$SCRATCH/release/skiff"
bash "$ROOT/scripts/build-release.sh" "$SCRATCH" > /dev/null
