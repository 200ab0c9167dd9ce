#!/usr/bin/env bash
# Packs what a node needs, from artifacts/bin (./sitewire build; `./sitewire package` builds first when stale):
#   artifacts/dist/sitewire-VERSION-linux-x64.tar.gz   bin/{sitewire,sitewired,libsodium.so}, systemd/, install.sh
# Both executables are Native AOT (no .NET runtime on the node) and need glibc 2.34 or newer (Rocky/RHEL 9,
# Ubuntu 22.04, Debian 12). On the node: tar xzf ...; sudo ./sitewire-VERSION-linux-x64/install.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
BIN="$ROOT/artifacts/bin"
DIST="$ROOT/artifacts/dist"
for file in sitewire sitewired libsodium.so; do
  [[ -f $BIN/$file ]] || { echo "package: $BIN/$file is missing (run ./sitewire build)" >&2; exit 2; }
done
version=$("$BIN/sitewire" --version)
version=${version%%+*}
name="sitewire-$version-linux-x64"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name/bin" "$stage/$name/systemd"
cp "$BIN/sitewire" "$BIN/sitewired" "$BIN/libsodium.so" "$stage/$name/bin/"
# The failover agent's unit, as the plan writes it (one source: the planner).
"$BIN/sitewire" plan "$ROOT/examples/two-relays.yaml" -o "$stage/plan" >/dev/null
cp "$stage/plan/office/sitewire-failover@.service" "$stage/$name/systemd/"
cp "$ROOT/scripts/package/install.sh" "$stage/$name/install.sh"
chmod 0755 "$stage/$name/install.sh" "$stage/$name/bin/sitewire" "$stage/$name/bin/sitewired"
chmod 0644 "$stage/$name/bin/libsodium.so" "$stage/$name/systemd/sitewire-failover@.service"
mkdir -p "$DIST"
tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$DIST/$name.tar.gz" "$name"
echo "$DIST/$name.tar.gz"
