#!/usr/bin/env bash
# Builds reproducible OCI image layouts from Debian's busybox-static, without any registry:
#   OUT/busybox (Cmd ["sh"]), OUT/pause (Cmd ["/bin/sleep","2147483647"]) and OUT/hello (a third,
#   distinct image ID for removal tests),
# each also as OUT/NAME.tar (an OCI layout archive for `skiff images import`).
# Same busybox binary in, same digests out: fixed mtimes, owners and file order, gzip -n.
set -euo pipefail
OUT="${1:-/tmp/skiff-images}"
BUSYBOX="${BUSYBOX:-/bin/busybox}"
[ -x "$BUSYBOX" ] || { echo "need busybox-static ($BUSYBOX)" >&2; exit 1; }
mkdir -p "$OUT"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

tarball() { # DIR FILE: a deterministic tar of DIR's contents
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=posix \
      --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -cf "$2" -C "$1" .
}
sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }

root="$work/rootfs"
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/var/www"
cp "$BUSYBOX" "$root/bin/busybox"
for applet in $("$BUSYBOX" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
chmod 1777 "$root/tmp"
tarball "$root" "$work/layer.tar"
diff_id="sha256:$(sha "$work/layer.tar")"
gzip -n -9 -c "$work/layer.tar" > "$work/layer.tar.gz"
layer_digest="$(sha "$work/layer.tar.gz")"
layer_size="$(size "$work/layer.tar.gz")"

image() { # NAME CMD_JSON [DIFF_ID]: DIFF_ID overrides the config's (true) layer diff ID
  local name="$1" cmd="$2" dir="$OUT/$1" config_diff_id="${3:-$diff_id}"
  rm -rf "$dir"
  mkdir -p "$dir/blobs/sha256"
  cp "$work/layer.tar.gz" "$dir/blobs/sha256/$layer_digest"
  printf '{"architecture":"amd64","config":{"Cmd":%s,"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},"created":"1970-01-01T00:00:00Z","history":[{"created":"1970-01-01T00:00:00Z","created_by":"scripts/build-images.sh"}],"os":"linux","rootfs":{"diff_ids":["%s"],"type":"layers"}}' \
    "$cmd" "$config_diff_id" > "$work/config.json"
  local config_digest config_size
  config_digest="$(sha "$work/config.json")"; config_size="$(size "$work/config.json")"
  cp "$work/config.json" "$dir/blobs/sha256/$config_digest"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
    "$config_digest" "$config_size" "$layer_digest" "$layer_size" > "$work/manifest.json"
  local manifest_digest manifest_size
  manifest_digest="$(sha "$work/manifest.json")"; manifest_size="$(size "$work/manifest.json")"
  cp "$work/manifest.json" "$dir/blobs/sha256/$manifest_digest"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"latest"},"platform":{"architecture":"amd64","os":"linux"}}]}' \
    "$manifest_digest" "$manifest_size" > "$dir/index.json"
  printf '{"imageLayoutVersion":"1.0.0"}' > "$dir/oci-layout"
  tarball "$dir" "$OUT/$name.tar"
  echo "$name sha256:$manifest_digest"
}

image busybox '["sh"]'
image pause '["/bin/sleep","2147483647"]'
image hello '["echo","hello"]'
# A broken image for the diff-ID check: the config's diff ID is not the layer's.
image bad-diffid '["sh"]' "sha256:$(printf 'not the layer' | sha256sum | cut -d' ' -f1)"
