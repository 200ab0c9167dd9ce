#!/usr/bin/env bash
# The test command: sudo ./test.sh
# Installs the Debian packages the tests use when they are missing, builds, runs every test project,
# then runs each fuzz target for FUZZ_SECONDS (default 20; 0 skips them) with scripts/fuzz.sh, which prints
# "fuzz: N targets, N executions, N crashes", and closes with one summary line "tests: N passed, N failed, N skipped".
# Exit 0 only when all passed and the fuzzers found nothing. Network-namespace tests need root; run it with sudo.
#
# ./test.sh --unit runs, as any user, only the tests that need no root, no namespace and no installed package:
# every test of the unit projects without the trait Needs=root. The full run runs those same tests with every
# capability dropped (setpriv), so a test that needs root but lacks the trait fails there.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
cd "$ROOT"

UNIT_FILTER='Needs!=root'
ROOT_FILTER='Needs=root|FullyQualifiedName~Sitewire.E2E.'
unit_only=false
if [[ ${1:-} == --unit ]]; then
  unit_only=true
  shift
fi

RESULTS="$ROOT/artifacts/test-results"
TEST_ARGS=(--nologo --logger "trx" --logger "console;verbosity=normal" --results-directory "$RESULTS")
# The built test assemblies, run by path: `dotnet test Sitewire.slnx` first evaluates every project with MSBuild, which cost
# the unit phase 13 of its 100 CPU-seconds (2-core machine). The unit projects are tests/*.Tests; tests/Sitewire.E2E needs root.
test_assemblies() {
  local project
  for project in "$@"; do
    echo "$project/bin/Release/net10.0/$(basename "$project").dll"
  done
}
summarize() {
  python3 - "$RESULTS" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0))
open(sys.argv[1] + "/summary.txt", "w").write(f"{passed} {failed} {skipped}\n")
PY
}
without_capabilities() {
  if [[ $(id -u) -eq 0 ]]; then
    setpriv --inh-caps=-all --ambient-caps=-all --bounding-set=-all --no-new-privs -- "$@"
  else
    "$@"
  fi
}

if ! $unit_only; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "test.sh: run as root (sudo ./test.sh): the end-to-end tests build network namespaces; ./test.sh --unit needs no root" >&2
    exit 2
  fi
  "$ROOT/scripts/install-deps.sh"
  ./sitewire build
fi
dotnet build Sitewire.slnx -c Release --nologo -v quiet

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
status=0
# The unit phase is bounded by vstest's own session timeout: the blame collector's hang dumps (kept for the root phase,
# where a lab may hang) cost it 16 s of its 74 s here, measured twice on a quiet 2-core machine.
mapfile -t unit_assemblies < <(test_assemblies tests/*.Tests)
without_capabilities dotnet test "${unit_assemblies[@]}" "${TEST_ARGS[@]}" --filter "$UNIT_FILTER" "$@" \
  -- RunConfiguration.MaxCpuCount=0 RunConfiguration.TestSessionTimeout=1200000 || status=$?
if ! $unit_only; then
  mapfile -t all_assemblies < <(test_assemblies tests/*.Tests tests/Sitewire.E2E)
  dotnet test "${all_assemblies[@]}" "${TEST_ARGS[@]}" --blame-hang-timeout 15m --filter "$ROOT_FILTER" "$@" -- RunConfiguration.MaxCpuCount=0 || status=$?
fi
summarize
if ! $unit_only && [[ ${FUZZ_SECONDS:-20} != 0 ]]; then
  scripts/fuzz.sh --seconds "${FUZZ_SECONDS:-20}" || status=1
fi
read -r passed failed skipped <"$RESULTS/summary.txt"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
