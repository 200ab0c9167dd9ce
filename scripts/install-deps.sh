#!/usr/bin/env bash
# Installs the Debian packages that Sitewire's tests and lab use, only those missing.
set -euo pipefail
declare -A PROVIDES=(
  [wg]=wireguard-tools [wg-quick]=wireguard-tools [wireguard-go]=wireguard-go [ip]=iproute2
  [ping]=iputils-ping [iptables]=iptables [nft]=nftables [iperf3]=iperf3 [python3]=python3
  [curl]=curl [tcpdump]=tcpdump [clang]=clang [ld.lld]=lld [zsh]=zsh [afl-fuzz]=afl++
  [firewalld]=firewalld [firewall-cmd]=firewalld [dbus-daemon]=dbus [dbus-send]=dbus-bin [ufw]=ufw
)
missing=()
for tool in "${!PROVIDES[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${PROVIDES[$tool]}")
done
# Native AOT (sitewired) links against zlib.
[[ -f /usr/include/zlib.h ]] || missing+=(zlib1g-dev)
if ((${#missing[@]})); then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: missing Debian packages: ${missing[*]} (run as root to install them)" >&2
    exit 2
  fi
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # The lab runs firewalld only inside its RHEL-family nodes. On a systemd host the package would enable and start
  # firewalld.service and take over the machine's own firewall: masked while it installs, then left disabled.
  host_firewalld_guard=false
  if [[ " ${missing[*]} " == *" firewalld "* && -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
    host_firewalld_guard=true
    systemctl mask firewalld.service >/dev/null 2>&1 || true
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if $host_firewalld_guard; then
    systemctl unmask firewalld.service >/dev/null 2>&1 || true
    systemctl disable firewalld.service >/dev/null 2>&1 || true
  fi
fi
