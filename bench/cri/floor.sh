#!/usr/bin/env bash
# The floor: what starting one pod costs when done directly, with no CRI runtime in between:
# netns (bind-mounted) + CNI ADD of the same conflist, then overlay rootfs + runc create/start.
# JSON work is done once up front so only the real steps are timed.
# Usage: floor.sh N CONFLIST LAYER_DIR WORKDIR CGROUP_PARENT  → JSON of per-phase milliseconds.
set -euo pipefail
N="$1" CONFLIST="$2" LAYER="$3" W="$4" CGROUP="$5"
RUNC_ROOT="$W/runc"
mkdir -p "$W/ns" "$RUNC_ROOT"
mount --bind "$W/ns" "$W/ns" && mount --make-private "$W/ns"
now_us() { local t="${EPOCHREALTIME/./}"; echo "$t"; }

# Plugin configs with the list's name and version, ready for prevResult to be appended.
mapfile -t TYPES < <(jq -r '.plugins[].type' "$CONFLIST")
mapfile -t CONFS < <(jq -c '. as $l | .plugins[] | . + {name: $l.name, cniVersion: $l.cniVersion} | del(.capabilities)' "$CONFLIST")
cni() { # COMMAND ID NETNS
  local prev="" input out i
  for i in "${!CONFS[@]}"; do
    input="${CONFS[$i]}"
    [ -n "$prev" ] && input="${input%\}},\"prevResult\":${prev}}"
    out="$(CNI_COMMAND="$1" CNI_CONTAINERID="$2" CNI_NETNS="$3" CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni "/usr/lib/cni/${TYPES[$i]}" <<<"$input")"
    [ -n "$out" ] && prev="$out"
  done
  return 0
}
(cd "$W" && runc spec)
TEMPLATE="$(jq -c '.process.terminal=false | .process.args=["sleep","3600"] | .root.path="__ROOT__" | .root.readonly=false
  | .linux.cgroupsPath="__CGROUP__" | .linux.namespaces=(.linux.namespaces | map(if .type=="network" then . + {path:"__NETNS__"} else . end))' "$W/config.json")"

runs=() creates=() starts=() totals=()
for i in $(seq 1 "$N"); do
  id="floor-$$-$i" b="$W/floor-$$-$i"
  mkdir -p "$b/rootfs" "$b/upper" "$b/work"
  spec="${TEMPLATE//__ROOT__/$b/rootfs}"; spec="${spec//__CGROUP__/$CGROUP/$id}"; spec="${spec//__NETNS__/$W/ns/$id}"
  t0=$(now_us)
  : > "$W/ns/$id"; unshare --net="$W/ns/$id" true
  cni ADD "$id" "$W/ns/$id" > /dev/null
  t1=$(now_us)
  mount -t overlay overlay -o "lowerdir=$LAYER,upperdir=$b/upper,workdir=$b/work" "$b/rootfs"
  printf '%s' "$spec" > "$b/config.json"
  runc --root "$RUNC_ROOT" create --bundle "$b" --pid-file "$b/pid" "$id" </dev/null >/dev/null 2>&1
  t2=$(now_us)
  runc --root "$RUNC_ROOT" start "$id"
  t3=$(now_us)
  runs+=($((t1 - t0))) creates+=($((t2 - t1))) starts+=($((t3 - t2))) totals+=($((t3 - t0)))
done
ms() { printf '%s\n' "$@" | jq -s -c 'map(. / 1000)'; }
printf '{"run":%s,"create":%s,"start":%s,"total":%s}\n' "$(ms "${runs[@]}")" "$(ms "${creates[@]}")" "$(ms "${starts[@]}")" "$(ms "${totals[@]}")"
# Tear down what this script made.
for i in $(seq 1 "$N"); do
  id="floor-$$-$i"
  runc --root "$RUNC_ROOT" delete --force "$id" >/dev/null 2>&1 || true
  cni DEL "$id" "$W/ns/$id" >/dev/null 2>&1 || true
  umount -l "$W/$id/rootfs" 2>/dev/null || true
  umount -l "$W/ns/$id" 2>/dev/null || true
done
umount -l "$W/ns" 2>/dev/null || true
