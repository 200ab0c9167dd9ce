#!/usr/bin/env bash
# verify = lab on random designs, for as long as asked (issue 15):
#   sudo scripts/verify-vs-lab.sh [--designs N] [--seed S] [--engine sitewired|wireguard-go|kernel] [--out DIR]
# Builds sitewire and the end-to-end tests, then runs N random designs (default 300; RandomLanDesign, the generator
# of the planner's property tests: 3-6 nodes, hub or mesh, public and NATed nodes, every OS family, masquerade or
# routed LANs, hosts on the node's link or behind LAN routers with and without routes, TCP and ping flows, allow and
# deny) from seed S (default: a fresh one, printed) through verify and the lab, one at a time. Prints a line per design
# and, at the end, how many designs and flows agreed. A design that disagrees is kept as DIR/design-SEED.yaml
# (reproduce with `sudo ./sitewire lab DIR/design-SEED.yaml`) with each flow's verdicts in DIR/design-SEED.txt.
# Exit 0 only when every flow of every design went as verify predicted.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"

designs=300
seed=""
engine=sitewired
out="$ROOT/artifacts/verify-vs-lab"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --designs) designs="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --engine) engine="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "verify-vs-lab: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$designs" =~ ^[1-9][0-9]*$ ]] || { echo "verify-vs-lab: --designs takes a positive number" >&2; exit 2; }
[[ -z "$seed" || "$seed" =~ ^[0-9]+$ ]] || { echo "verify-vs-lab: --seed takes a number" >&2; exit 2; }
if [[ $(id -u) -ne 0 ]]; then
  echo "verify-vs-lab: run as root: the lab builds network namespaces" >&2
  exit 2
fi
seed="${seed:-$(( (RANDOM << 15 | RANDOM) ))}"
echo "verify-vs-lab: $designs designs from seed $seed (engine $engine), results in $out"

./sitewire --version >/dev/null   # builds artifacts/bin (the engine sitewired) when the sources changed
dotnet build tests/Sitewire.E2E -c Release --nologo -v quiet >/dev/null
rm -rf "$out"
mkdir -p "$out/tests"
# The run uses a copy of the test binaries and the engine, so a rebuild meanwhile does not change them under it.
cp -r tests/Sitewire.E2E/bin/Release/net10.0/. "$out/tests/"
cp artifacts/bin/sitewired artifacts/bin/libsodium.so "$out/tests/"   # the lab takes the engine beside its assembly first
: > "$out/progress.log"
tail -n +1 -F "$out/progress.log" 2>/dev/null &
tail_pid=$!
trap 'kill "$tail_pid" 2>/dev/null || true' EXIT
status=0
SITEWIRE_VERIFY_VS_LAB_DESIGNS="$designs" SITEWIRE_VERIFY_VS_LAB_SEED="$seed" SITEWIRE_VERIFY_VS_LAB_ENGINE="$engine" \
SITEWIRE_VERIFY_VS_LAB_OUT="$out" \
  dotnet test "$out/tests/Sitewire.E2E.dll" --nologo \
    --filter "FullyQualifiedName~VerifyVsLabTests.Many_random_designs_when_asked" >"$out/dotnet-test.log" 2>&1 || status=$?
sleep 1
kill "$tail_pid" 2>/dev/null || true
if ! grep -q '^.* verify-vs-lab: ' "$out/progress.log"; then
  echo "verify-vs-lab: the run stopped before its end; see $out/dotnet-test.log" >&2
  exit 2
fi
exit $status
