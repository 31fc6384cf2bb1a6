#!/usr/bin/env bash
# The floor: what starting one pod costs when done directly, with no CRI runtime in between:
# netns (bind-mounted) + CNI ADD of the same conflist, then overlay rootfs + runc create/start.
# Usage: floor.sh N CONFLIST LAYER_DIR WORKDIR CGROUP_PARENT  → JSON of per-phase milliseconds.
set -euo pipefail
N="$1" CONFLIST="$2" LAYER="$3" W="$4" CGROUP="$5"
RUNC_ROOT="$W/runc"
mkdir -p "$W/ns" "$RUNC_ROOT"
mount --bind "$W/ns" "$W/ns" && mount --make-private "$W/ns"
now() { date +%s%N; }
cni() { # COMMAND ID NETNS: run the conflist's plugins in order, chaining prevResult
  local cmd="$1" id="$2" netns="$3" prev="" name version
  name="$(jq -r .name "$CONFLIST")"; version="$(jq -r .cniVersion "$CONFLIST")"
  local count; count="$(jq '.plugins | length' "$CONFLIST")"
  for i in $(seq 0 $((count - 1))); do
    local conf; conf="$(jq -c --arg n "$name" --arg v "$version" --argjson p "${prev:-null}" \
      ".plugins[$i] + {name:\$n, cniVersion:\$v} + (if \$p == null then {} else {prevResult:\$p} end) | del(.capabilities)" "$CONFLIST")"
    local type; type="$(jq -r .type <<<"$conf")"
    local out; out="$(CNI_COMMAND="$cmd" CNI_CONTAINERID="$id" CNI_NETNS="$netns" CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni /usr/lib/cni/"$type" <<<"$conf")"
    [ -n "$out" ] && prev="$out"
  done
}
runs=() creates=() starts=() totals=()
base_spec="$(cd "$W" && runc spec --rootless=false 2>/dev/null; cat "$W/config.json")"
for i in $(seq 1 "$N"); do
  id="floor-$$-$i" b="$W/$id"
  mkdir -p "$b/rootfs" "$b/upper" "$b/work"
  t0=$(now)
  touch "$W/ns/$id"; unshare --net="$W/ns/$id" true
  cni ADD "$id" "$W/ns/$id" > /dev/null
  t1=$(now)
  mount -t overlay overlay -o "lowerdir=$LAYER,upperdir=$b/upper,workdir=$b/work" "$b/rootfs"
  jq --arg ns "$W/ns/$id" --arg cg "$CGROUP/$id" --arg root "$b/rootfs" \
    '.process.terminal=false | .process.args=["sleep","3600"] | .root.path=$root | .root.readonly=false | .linux.cgroupsPath=$cg
     | .linux.namespaces=(.linux.namespaces | map(if .type=="network" then . + {path:$ns} else . end))' <<<"$base_spec" > "$b/config.json"
  runc --root "$RUNC_ROOT" create --bundle "$b" --pid-file "$b/pid" "$id" </dev/null >/dev/null 2>&1
  t2=$(now)
  runc --root "$RUNC_ROOT" start "$id"
  t3=$(now)
  runs+=($(( (t1 - t0) / 1000 ))) creates+=($(( (t2 - t1) / 1000 ))) starts+=($(( (t3 - t2) / 1000 ))) totals+=($(( (t3 - t0) / 1000 )))
done
us_to_ms() { printf '%s\n' "$@" | jq -s 'map(. / 1000)'; }
printf '{"run":%s,"create":%s,"start":%s,"total":%s}\n' "$(us_to_ms "${runs[@]}")" "$(us_to_ms "${creates[@]}")" \
  "$(us_to_ms "${starts[@]}")" "$(us_to_ms "${totals[@]}")" | jq -c .
# Tear down what this script made.
for i in $(seq 1 "$N"); do
  id="floor-$$-$i"
  runc --root "$RUNC_ROOT" delete --force "$id" >/dev/null 2>&1 || true
  cni DEL "$id" "$W/ns/$id" >/dev/null 2>&1 || true
  umount -l "$W/$id/rootfs" 2>/dev/null || true
  umount -l "$W/ns/$id" 2>/dev/null || true
done
umount -l "$W/ns" 2>/dev/null || true
