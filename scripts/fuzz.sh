#!/usr/bin/env bash
# Runs Sitewire's coverage-guided fuzz targets (tests/Sitewire.Fuzz) under afl-fuzz, each for a bounded time.
#   scripts/fuzz.sh [--seconds N] [TARGET...]     (default: every target, 60 s each; docs/fuzzing.md)
# Builds tests/Sitewire.Fuzz, copies it to artifacts/fuzz/bin, instruments the Sitewire assemblies (and YamlDotNet)
# there with sharpfuzz (a local dotnet tool, .config/dotnet-tools.json), then runs
# `afl-fuzz -i tests/Sitewire.Fuzz/corpus/TARGET -o artifacts/fuzz/findings/TARGET ... -- dotnet Sitewire.Fuzz.dll TARGET`,
# FUZZ_JOBS targets at a time (default: one per core). Any crash (an exception the parser does not document, or a
# process death) or hang (an input running past FUZZ_HANG_MS, default 5000 ms) fails the run: the first few of each
# target are replayed in process to show their stack traces, and all stay in artifacts/fuzz/findings/TARGET/default/
# {crashes,hangs}/. The last line is always "fuzz: N targets, N executions, N crashes" (hangs counted as crashes),
# from afl-fuzz's fuzzer_stats. Exit 0 only with 0 crashes. Host settings are left alone: afl-fuzz's checks of
# core_pattern, CPU frequency scaling and free cores are waived through its environment variables instead.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"

seconds=60
targets=()
while (($#)); do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --seconds=*) seconds=${1#*=}; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: --seconds needs a whole number above 0" >&2; exit 2; }
command -v afl-fuzz >/dev/null || { echo "fuzz: afl-fuzz is missing (Debian package afl++; scripts/install-deps.sh installs it)" >&2; exit 2; }

FUZZ="$ROOT/artifacts/fuzz"
BIN="$FUZZ/bin"
CORPUS="$ROOT/tests/Sitewire.Fuzz/corpus"
log="$FUZZ/build.log"
mkdir -p "$FUZZ"
if ! { dotnet tool restore && dotnet build tests/Sitewire.Fuzz/Sitewire.Fuzz.csproj -c Release --nologo -v quiet; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "fuzz: the fuzz targets did not build" >&2
  exit 2
fi
rm -rf "$BIN"
cp -a tests/Sitewire.Fuzz/bin/Release/net10.0 "$BIN"
for assembly in "$BIN"/Sitewire.*.dll "$BIN"/YamlDotNet.dll; do
  [[ $(basename "$assembly") == Sitewire.Fuzz.dll ]] && continue
  dotnet sharpfuzz "$assembly" >>"$log" 2>&1 || { cat "$log" >&2; echo "fuzz: sharpfuzz could not instrument $assembly" >&2; exit 2; }
done
mapfile -t known < <(dotnet "$BIN/Sitewire.Fuzz.dll" --list)
((${#targets[@]})) || targets=("${known[@]}")
for target in "${targets[@]}"; do
  printf '%s\n' "${known[@]}" | grep -qx -- "$target" || { echo "fuzz: no target '$target' (targets: ${known[*]})" >&2; exit 2; }
done

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
  AFL_FAST_CAL=1 AFL_NO_CRASH_README=1 AFL_FORKSRV_INIT_TMOUT=60000 DOTNET_CLI_TELEMETRY_OPTOUT=1
hang_ms=${FUZZ_HANG_MS:-5000}
stat() { sed -n "s/^$1 *: *//p" "$2" | head -1; }

# One afl-fuzz per target, FUZZ_JOBS (default: one per core) at a time; each writes its exit status beside its log.
fuzz_target() {
  local target=$1 out="$FUZZ/findings/$1" status=0
  rm -rf "$out"
  mkdir -p "$out"
  # -V ends the campaign; the outer timeout only guards against an afl-fuzz that never gets going.
  timeout --kill-after=10 $((seconds + 180)) \
    afl-fuzz -i "$CORPUS/$target" -o "$out" -t "$hang_ms" -m none -V "$seconds" -- dotnet "$BIN/Sitewire.Fuzz.dll" "$target" \
    >"$out/afl.log" 2>&1 || status=$?
  echo "$status" >"$out/afl.status"
}
jobs=${FUZZ_JOBS:-$(nproc)}
running=0
for target in "${targets[@]}"; do
  if ((running >= jobs)); then
    wait -n || true
    running=$((running - 1))
  fi
  fuzz_target "$target" &
  running=$((running + 1))
done
wait

executions=0
crashes=0
failed=0
for target in "${targets[@]}"; do
  out="$FUZZ/findings/$target"
  status=$(cat "$out/afl.status" 2>/dev/null || echo 1)
  stats="$out/default/fuzzer_stats"
  if [[ ! -f $stats ]]; then
    tail -n 25 "$out/afl.log" >&2
    echo "fuzz: $target: afl-fuzz did not run (exit $status); its log: $out/afl.log" >&2
    failed=1
    continue
  fi
  done_execs=$(stat execs_done "$stats")
  found=$(( $(stat saved_crashes "$stats") + $(stat saved_hangs "$stats") ))
  executions=$((executions + done_execs))
  crashes=$((crashes + found))
  echo "fuzz: $target: $done_execs executions in ${seconds} s, $(stat corpus_count "$stats") inputs in the corpus, $found crashes and hangs"
  if ((status != 0)); then
    tail -n 25 "$out/afl.log" >&2
    echo "fuzz: $target: afl-fuzz exited $status; its log: $out/afl.log" >&2
    failed=1
  fi
  shown=0
  for finding in "$out"/default/crashes/id:* "$out"/default/hangs/id:*; do
    [[ -f $finding ]] || continue
    echo "fuzz: $target: ${finding#"$ROOT"/}" >&2
    # The first few replayed in process, for their stack traces (a hang is stopped after 30 s).
    if ((shown++ < 3)); then
      { ulimit -c 0; timeout 30 dotnet "$BIN/Sitewire.Fuzz.dll" "$target" "$finding" 2>&1 || true; } 2>&1 | grep -v '^   at System\.' | head -n 12 | sed 's/^/    /' >&2
    fi
  done
done
echo "fuzz: ${#targets[@]} targets, $executions executions, $crashes crashes"
((crashes == 0 && failed == 0))
