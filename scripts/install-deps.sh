#!/usr/bin/env bash
# Installs the Debian and Python packages Skiff needs, only those missing. Idempotent.
set -euo pipefail
DEBS=(libsqlite3-dev libssl-dev runc crun conmon containernetworking-plugins docker-registry
      busybox-static umoci skopeo containerd iproute2 iptables jq curl openssl wrk
      apache2-utils etcd-server etcd-client)
missing=()
for p in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
python3 - <<'PY' 2>/dev/null || python3 -m pip install -q kubernetes pytest
import kubernetes, pytest
PY
