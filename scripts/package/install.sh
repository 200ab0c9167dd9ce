#!/usr/bin/env bash
# Installs sitewire and sitewired on a node from this unpacked package; needs no network and no .NET (both are
# Native AOT; glibc 2.34 or newer: Rocky/RHEL 9, Ubuntu 22.04, Debian 12).
#   sudo ./install.sh               /usr/local/lib/sitewire/{sitewire,sitewired,libsodium.so}, links in /usr/local/bin,
#                                   the failover agent's unit /etc/systemd/system/sitewire-failover@.service
#   sudo ./install.sh --userspace   also a wg-quick@ drop-in that runs every tunnel on sitewired (hosts without the
#                                   WireGuard kernel module)
#   sudo ./install.sh --uninstall   removes exactly what install put there
#   DESTDIR=/some/root ./install.sh installs under another root (staging, packaging)
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT="${DESTDIR:-}"
LIB=/usr/local/lib/sitewire
UNIT=/etc/systemd/system/sitewire-failover@.service
DROPIN=/etc/systemd/system/wg-quick@.service.d/sitewired.conf

userspace=false
uninstall=false
for arg in "$@"; do
  case $arg in
    --userspace) userspace=true ;;
    --uninstall) uninstall=true ;;
    *) echo "install.sh: unknown option '$arg' (--userspace, --uninstall)" >&2; exit 2 ;;
  esac
done
if [[ -z $ROOT && $(id -u) -ne 0 ]]; then
  echo "install.sh: run as root (sudo ./install.sh), or set DESTDIR to install under another root" >&2
  exit 2
fi

reload_systemd() {
  if [[ -z $ROOT && -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
    systemctl daemon-reload
  fi
}

if $uninstall; then
  rm -f "$ROOT/usr/local/bin/sitewire" "$ROOT/usr/local/bin/sitewired" "$ROOT$UNIT" "$ROOT$DROPIN"
  rm -rf "$ROOT$LIB"
  rmdir "$ROOT$(dirname "$DROPIN")" 2>/dev/null || true
  reload_systemd
  echo "sitewire: removed"
  exit 0
fi

install -d -m 0755 "$ROOT$LIB" "$ROOT/usr/local/bin" "$ROOT/etc/systemd/system"
install -m 0755 "$HERE/bin/sitewire" "$HERE/bin/sitewired" "$ROOT$LIB/"
install -m 0644 "$HERE/bin/libsodium.so" "$ROOT$LIB/"
# Links, not copies: each binary loads libsodium.so from beside its real path.
ln -sfn ../lib/sitewire/sitewire "$ROOT/usr/local/bin/sitewire"
ln -sfn ../lib/sitewire/sitewired "$ROOT/usr/local/bin/sitewired"
install -m 0644 "$HERE/systemd/sitewire-failover@.service" "$ROOT$UNIT"
if $userspace; then
  install -d -m 0755 "$ROOT$(dirname "$DROPIN")"
  printf '[Service]\nEnvironment=WG_QUICK_USERSPACE_IMPLEMENTATION=/usr/local/bin/sitewired\n' >"$ROOT$DROPIN"
  chmod 0644 "$ROOT$DROPIN"
fi
reload_systemd
echo "sitewire $("$ROOT$LIB/sitewire" --version) installed in $LIB, linked from /usr/local/bin; try: sitewire doctor wg0"
