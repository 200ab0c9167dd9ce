#!/usr/bin/env bash
# Tunnel benchmark: sitewired against wireguard-go, side by side, through ../shared/bench/tunnel-bench.
#   sudo bench/tunnel.sh [--rounds R] [--seconds N] [--parallel P] [--mixed]
# Builds artifacts/bin/sitewired (./sitewire build), then runs
#   tunnel-bench OPTIONS artifacts/bin/sitewired /usr/bin/wireguard-go
# Options are passed through unchanged; see tunnel-bench --help. Needs root.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
TUNNEL_BENCH="$(dirname "$ROOT")/shared/bench/tunnel-bench"
WIREGUARD_GO=/usr/bin/wireguard-go

[[ -x $TUNNEL_BENCH ]] || { echo "tunnel.sh: $TUNNEL_BENCH not found (the shared folder sits beside the repository)" >&2; exit 2; }
[[ -x $WIREGUARD_GO ]] || { echo "tunnel.sh: $WIREGUARD_GO missing: apt-get install --no-install-recommends wireguard-go" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "tunnel.sh: run as root (sudo bench/tunnel.sh): the benchmark builds network namespaces" >&2; exit 2; }

"$ROOT/sitewire" build
exec "$TUNNEL_BENCH" "$@" "$ROOT/artifacts/bin/sitewired" "$WIREGUARD_GO"
