#!/usr/bin/env bash
# Usage: scripts/with-etcd.sh ETCD_DATA_DIR COMMAND [ARGS...]
# Starts a one-member etcd on 127.0.0.1 (ports ETCD_CLIENT_PORT/ETCD_PEER_PORT, default
# 2379/2380) with its data in ETCD_DATA_DIR, runs COMMAND ARGS --datastore-endpoint URL, and stops
# that etcd (by its PID) when the command ends.
set -euo pipefail
dir="$1"; shift
client="${ETCD_CLIENT_PORT:-2379}"; peer="${ETCD_PEER_PORT:-2380}"
url="http://127.0.0.1:$client"
mkdir -p "$dir"
setsid etcd --name skiff --data-dir "$dir/data" --listen-client-urls "$url" --advertise-client-urls "$url" \
  --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
  --initial-cluster "skiff=http://127.0.0.1:$peer" --logger zap --log-level warn >>"$dir/etcd.log" 2>&1 &
etcd_pid=$!
trap 'kill "$etcd_pid" 2>/dev/null; wait "$etcd_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  ETCDCTL_API=3 etcdctl --endpoints "$url" --command-timeout=1s endpoint health >/dev/null 2>&1 && break
  kill -0 "$etcd_pid" 2>/dev/null || { echo "etcd exited; see $dir/etcd.log" >&2; exit 1; }
  sleep 0.2
done
echo "etcd ready on $url (data in $dir)"
"$@" --datastore-endpoint "$url"
