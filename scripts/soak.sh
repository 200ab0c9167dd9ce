#!/usr/bin/env bash
# Soak: sitewired <-> wireguard-go in network namespaces for a set time, and a report at the end.
#
#   sudo scripts/soak.sh [--minutes N] [--rate BYTES_PER_S] [--junk DATAGRAMS_PER_S] [--replay DATAGRAMS_PER_S]
#
# Defaults: 10 minutes, 1 MB/s of checked traffic, 3,000 junk datagrams/s, 1,000 replayed transport messages/s.
# SOAK_SITEWIRED="COMMAND ..." runs another engine command in sitewired's place, e.g. the JIT build for a heap dump:
#   SOAK_SITEWIRED="dotnet src/Sitewire.Daemon/bin/Release/net10.0/sitewired.dll" scripts/soak.sh
# (then `dotnet-gcdump collect -p PID`, with the PID the start line names).
# Not part of ./test.sh.
# What runs, all in namespaces this script creates (names carry its PID) and removes on exit, also on failure:
#   - sitewired (artifacts/bin, built by ./sitewire build when missing) with a shortened rekey timer
#     (SITEWIRED_TEST_REKEY_AFTER_SECONDS=20) and metrics on 127.0.0.1:9586 inside its namespace;
#   - wireguard-go (Debian package) as its peer, with a 5 s persistent keepalive (sitewired opens the session, so it
#     is the initiator that rekeys);
#   - TCP traffic through the tunnel, every byte echoed back and compared (scripts/soak/traffic.py);
#   - roaming: every minute wireguard-go moves to a new listen port, and sitewired must follow it (its peer's
#     endpoint) within 15 s;
#   - a UAPI reconfiguration of sitewired every 3 s (add a peer, remove it, toggle the real peer's keepalive,
#     set its allowed-ips again), each checked;
#   - a junk flood from a third namespace at sitewired's port (scripts/soak/junk.py);
#   - from the same namespace, replays of a real transport message wireguard-go sent sitewired, captured afresh every
#     5 s so that they keep hitting the live keypair: each is decrypted, then refused by the replay window
#     (scripts/soak/replay.py).
# The report: bytes moved and checked, handshakes, RSS at start/middle/end and every minute, and at the end after a
# compacting collection (retained memory apart from garbage not yet collected), drops by reason, errors (must be 0).
# Exit 0 when there were no errors, 1 otherwise, 2 when it could not start.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
MINUTES=10
RATE=1000000
JUNK=3000
REPLAY=1000
while [[ $# -gt 0 ]]; do
  case $1 in
    --minutes) MINUTES=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --junk) JUNK=$2; shift 2 ;;
    --replay) REPLAY=$2; shift 2 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "soak: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ $(id -u) -eq 0 ]] || { echo "soak: run as root (network namespaces)" >&2; exit 2; }
for command in ip wg wireguard-go python3 tcpdump; do
  command -v "$command" >/dev/null || { echo "soak: $command is missing (scripts/install-deps.sh)" >&2; exit 2; }
done
if [[ -n ${SOAK_SITEWIRED:-} ]]; then
  read -r -a SITEWIRED <<<"$SOAK_SITEWIRED"
else
  SITEWIRED=("$ROOT/artifacts/bin/sitewired")
  [[ -x ${SITEWIRED[0]} ]] || "$ROOT/sitewire" build
fi
SECONDS_TOTAL=$((MINUTES * 60))

ID=$$
NS_SW="swsoak-$ID-sw"; NS_GO="swsoak-$ID-go"; NS_JUNK="swsoak-$ID-junk"
IF_SW="sws$ID"; IF_GO="swg$ID"
WORK=$(mktemp -d "/tmp/swsoak-$ID.XXXX")
PIDS=()
ERRORS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 0.5
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for ns in "$NS_SW" "$NS_GO" "$NS_JUNK"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -f "/var/run/wireguard/$IF_SW.sock" "/var/run/wireguard/$IF_GO.sock"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_sw() { ip netns exec "$NS_SW" "$@"; }
in_go() { ip netns exec "$NS_GO" "$@"; }
error() { ERRORS+=("$(date -u +%H:%M:%S) $*"); echo "soak: ERROR $*" >&2; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$SW_PID/status" 2>/dev/null || echo 0; }
metrics() { in_sw python3 -c 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:9586/metrics", timeout=5).read().decode())'; }
metric_sum() { awk -v name="$1" '$1 ~ "^"name"[{]" && $1 !~ /peer=/ {sum += $2} END {printf "%d", sum}'; }

# Namespaces: sitewired 192.168.240.1 <-> wireguard-go 192.168.240.2; the flooder 192.168.241.2 -> 192.168.241.1.
for ns in "$NS_SW" "$NS_GO" "$NS_JUNK"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip link add "swa$ID" netns "$NS_SW" type veth peer name "swb$ID" netns "$NS_GO"
ip link add "swc$ID" netns "$NS_SW" type veth peer name "swd$ID" netns "$NS_JUNK"
ip -n "$NS_SW" addr add 192.168.240.1/24 dev "swa$ID"; ip -n "$NS_GO" addr add 192.168.240.2/24 dev "swb$ID"
ip -n "$NS_SW" addr add 192.168.241.1/24 dev "swc$ID"; ip -n "$NS_JUNK" addr add 192.168.241.2/24 dev "swd$ID"
for link in "$NS_SW swa$ID" "$NS_GO swb$ID" "$NS_SW swc$ID" "$NS_JUNK swd$ID"; do set -- $link; ip -n "$1" link set "$2" up; done

# Started with `ip netns exec` directly (it execs), so that $! is the engine's own PID.
ip netns exec "$NS_SW" env LOG_LEVEL=error WG_PROCESS_FOREGROUND=1 SITEWIRED_METRICS=127.0.0.1:9586 SITEWIRED_TEST_REKEY_AFTER_SECONDS=20 \
  "${SITEWIRED[@]}" "$IF_SW" >"$WORK/sitewired.log" 2>&1 &
SW_PID=$!; PIDS+=("$SW_PID")
ip netns exec "$NS_GO" env LOG_LEVEL=error WG_PROCESS_FOREGROUND=1 wireguard-go "$IF_GO" >"$WORK/wireguard-go.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 100); do
  [[ -S /var/run/wireguard/$IF_SW.sock && -S /var/run/wireguard/$IF_GO.sock ]] && break
  sleep 0.1
done
[[ -S /var/run/wireguard/$IF_SW.sock && -S /var/run/wireguard/$IF_GO.sock ]] || { echo "soak: the engines did not start (logs in $WORK)" >&2; exit 2; }

KEY_SW=$(wg genkey); KEY_GO=$(wg genkey)
PUB_SW=$(wg pubkey <<<"$KEY_SW"); PUB_GO=$(wg pubkey <<<"$KEY_GO")
GO_PORT=52000
in_sw wg set "$IF_SW" private-key <(echo "$KEY_SW") listen-port 51820 \
  peer "$PUB_GO" allowed-ips 10.240.0.2/32 endpoint "192.168.240.2:$GO_PORT"
in_go wg set "$IF_GO" private-key <(echo "$KEY_GO") listen-port "$GO_PORT" \
  peer "$PUB_SW" allowed-ips 10.240.0.1/32 endpoint 192.168.240.1:51820
in_sw ip addr add 10.240.0.1/24 dev "$IF_SW"; in_sw ip link set "$IF_SW" up
in_go ip addr add 10.240.0.2/24 dev "$IF_GO"; in_go ip link set "$IF_GO" up
# sitewired opens the session, so it is the initiator and rekeys by its shortened timer; then wireguard-go keeps it alive.
in_sw ping -c 1 -W 5 10.240.0.2 >/dev/null || { echo "soak: no first handshake (logs in $WORK)" >&2; exit 2; }
in_go wg set "$IF_GO" peer "$PUB_SW" persistent-keepalive 5

ip netns exec "$NS_GO" python3 "$ROOT/scripts/soak/traffic.py" serve 10.240.0.2 7000 >"$WORK/server.log" 2>&1 &
PIDS+=("$!")
sleep 1
RSS_START=$(rss_kib)
ip netns exec "$NS_SW" python3 "$ROOT/scripts/soak/traffic.py" client 10.240.0.2 7000 "$SECONDS_TOTAL" "$RATE" "$WORK/traffic.json" >"$WORK/client.log" 2>&1 &
CLIENT=$!; PIDS+=("$CLIENT")
ip netns exec "$NS_JUNK" python3 "$ROOT/scripts/soak/junk.py" 192.168.241.1 51820 "$JUNK" "$SECONDS_TOTAL" "$WORK/junk.count" >"$WORK/junk.log" 2>&1 &
PIDS+=("$!")
ip netns exec "$NS_JUNK" python3 "$ROOT/scripts/soak/replay.py" 192.168.241.1 51820 "$REPLAY" "$SECONDS_TOTAL" "$WORK/transport.pcap" "$WORK/replay.count" >"$WORK/replay.log" 2>&1 &
PIDS+=("$!")
# One transport message from wireguard-go to sitewired, for replay.py (written whole, then renamed into place).
capture_transport() {
  in_sw timeout 4 tcpdump -i "swa$ID" -c 1 -U -w "$WORK/transport.pcap.new" "udp and src host 192.168.240.2 and udp[8] = 4" >/dev/null 2>&1 \
    && mv "$WORK/transport.pcap.new" "$WORK/transport.pcap"
}

echo "soak: $MINUTES min, sitewired (pid $SW_PID, $IF_SW) <-> wireguard-go ($IF_GO), traffic $RATE B/s checked, junk $JUNK/s, replays $REPLAY/s; work dir $WORK" >&2
START=$(date +%s)
RSS_MIDDLE=""
RSS_PEAK=$RSS_START
RSS_CURVE="0:$RSS_START"
ROAMS=0; ROAMS_FOLLOWED=0; RECONFIGS=0; TICK=0; ROAM_DUE=""
DUMMY_KEY=$(wg genkey | wg pubkey)
while (( $(date +%s) - START < SECONDS_TOTAL )); do
  sleep 1
  TICK=$((TICK + 1))
  NOW=$(( $(date +%s) - START ))
  if ! kill -0 "$SW_PID" 2>/dev/null; then error "sitewired exited"; break; fi
  RSS=$(rss_kib); (( RSS > RSS_PEAK )) && RSS_PEAK=$RSS
  [[ -z $RSS_MIDDLE && $NOW -ge $((SECONDS_TOTAL / 2)) ]] && RSS_MIDDLE=$RSS
  (( TICK % 60 == 0 )) && RSS_CURVE+=" $((TICK / 60)):$RSS"
  (( TICK % 5 == 1 )) && { capture_transport & }
  if (( TICK % 3 == 0 )); then
    RECONFIGS=$((RECONFIGS + 1))
    case $(( (TICK / 3) % 4 )) in
      0) in_sw wg set "$IF_SW" peer "$DUMMY_KEY" allowed-ips 10.241.0.9/32 || error "uapi: add a peer failed" ;;
      1) in_sw wg set "$IF_SW" peer "$DUMMY_KEY" remove || error "uapi: remove a peer failed" ;;
      2) in_sw wg set "$IF_SW" peer "$PUB_GO" persistent-keepalive $(( (TICK / 12) % 2 == 0 ? 25 : 0 )) || error "uapi: keepalive change failed" ;;
      3) in_sw wg set "$IF_SW" peer "$PUB_GO" allowed-ips 10.240.0.2/32 || error "uapi: allowed-ips failed" ;;
    esac
    in_sw wg show "$IF_SW" dump >/dev/null || error "uapi: wg show failed"
  fi
  if (( TICK % 60 == 0 )); then
    GO_PORT=$((GO_PORT + 1)); ROAMS=$((ROAMS + 1))
    in_go wg set "$IF_GO" listen-port "$GO_PORT" || error "roam: wireguard-go listen-port $GO_PORT failed"
    ROAM_DUE=$((NOW + 15))
  fi
  if [[ -n $ROAM_DUE ]]; then
    if in_sw wg show "$IF_SW" endpoints | grep -q "192.168.240.2:$GO_PORT"; then
      ROAMS_FOLLOWED=$((ROAMS_FOLLOWED + 1)); ROAM_DUE=""
    elif (( NOW >= ROAM_DUE )); then
      error "roam: sitewired's endpoint for the peer is not 192.168.240.2:$GO_PORT 15 s after the move ($(in_sw wg show "$IF_SW" endpoints | cut -f2))"
      ROAM_DUE=""
    fi
  fi
done
wait "$CLIENT" 2>/dev/null || true
RSS_END=$(rss_kib)
# A set request over 1 MiB makes sitewired give memory back (a compacting collection) once answered: what RSS is then
# tells retained memory (a leak) from garbage the collector had not yet needed to reclaim.
python3 - "/var/run/wireguard/$IF_SW.sock" <<'PY' >/dev/null || error "uapi: the large set request failed"
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(30)
s.connect(sys.argv[1])
s.sendall(("set=1\n" + "listen_port=51820\n" * 70000 + "\n").encode())
assert s.recv(100).startswith(b"errno=0")
PY
sleep 1
RSS_COMPACTED=$(rss_kib)
kill -0 "$SW_PID" 2>/dev/null || error "sitewired is not running at the end"
METRICS=$(metrics 2>/dev/null || true)
[[ -n $METRICS ]] || error "metrics: no answer from sitewired"
read -r SENT CHECKED TERRORS RECONNECTS < <(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["sent"], s["checked"], s["errors"], s["reconnects"])' "$WORK/traffic.json" 2>/dev/null || echo "0 0 1 0")
(( TERRORS == 0 )) || error "traffic: $TERRORS errors: $(python3 -c 'import json,sys; print("; ".join(json.load(open(sys.argv[1]))["error_reasons"][:5]))' "$WORK/traffic.json" 2>/dev/null)"
(( CHECKED > 0 )) || error "traffic: nothing was checked"
TRANSFER=$(in_sw wg show "$IF_SW" transfer | awk -v k="$PUB_GO" '$1 == k {print $2, $3}')

echo
echo "soak report: sitewired <-> wireguard-go, $MINUTES min ($(( $(date +%s) - START )) s)"
echo "  traffic:     $SENT B sent, $CHECKED B echoed and checked byte for byte, $RECONNECTS reconnects"
echo "  tunnel:      sitewired rx/tx from/to the peer: ${TRANSFER:-?} B"
echo "  handshakes:  $(metric_sum sitewire_handshakes_completed_total <<<"$METRICS") completed (sitewired rekeys after 20 s)"
echo "  roaming:     $ROAMS moves of wireguard-go's port, $ROAMS_FOLLOWED followed by sitewired within 15 s"
echo "  uapi:        $RECONFIGS reconfigurations of sitewired"
echo "  junk:        $(cat "$WORK/junk.count" 2>/dev/null || echo 0) datagrams sent at sitewired's port"
echo "  replays:     $(cat "$WORK/replay.count" 2>/dev/null || echo 0) replayed transport messages sent at sitewired's port"
echo "  rss (KiB):   start $RSS_START, middle ${RSS_MIDDLE:-?}, end $RSS_END, peak $RSS_PEAK, after a compacting collection $RSS_COMPACTED"
echo "  rss by minute (minute:KiB): $RSS_CURVE"
echo "  drops by reason (sitewired, whole device):"
grep '^sitewire_dropped_packets_total{' <<<"$METRICS" | grep -v 'peer=' | sed -E 's/.*reason="([^"]*)".* ([0-9.e+]+)$/    \1 \2/' | awk '$2 != 0' || true
echo "  errors:      ${#ERRORS[@]}"
for e in "${ERRORS[@]}"; do echo "    $e"; done
[[ ${#ERRORS[@]} -eq 0 ]]
