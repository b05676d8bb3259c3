#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan) and
# runs each one for FUZZ_SECONDS seconds, starting from a copy of its seeds.
# Prints, per target, the executions, coverage, corpus size and findings
# (crash-, leak-, timeout-, oom- files); exits 1 if anything was found.
#
#   tests/fuzz/run.sh                  every target
#   tests/fuzz/run.sh rupiah config    only these
#
# Environment: FUZZ_SECONDS (default 60), FUZZ_JOBS (targets run at once,
# default 1), BUILD_DIR (default build-fuzz), CLANG_VERSION (default 16;
# clang 14 and 15 cannot compile std::expected with Debian 12's libstdc++).
# Everything it writes is under BUILD_DIR: the working corpora in
# BUILD_DIR/fuzz-work/<target>/, findings in BUILD_DIR/artifacts/<target>/.
# A finding is reproduced with BUILD_DIR/tests/fuzz/fuzz_<target> FILE, and
# once fixed belongs in tests/fuzz/regressions/<target>/.
set -euo pipefail
cd "$(dirname "$0")/../.."

BUILD_DIR=${BUILD_DIR:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_JOBS=${FUZZ_JOBS:-1}
CLANG_VERSION=${CLANG_VERSION:-16}
export CC=${CC:-clang-$CLANG_VERSION}
export CXX=${CXX:-clang++-$CLANG_VERSION}
PACKAGES=(cmake make pkg-config libcpp-httplib-dev nlohmann-json3-dev libsqlite3-dev libssl-dev
          "clang-$CLANG_VERSION" "libclang-rt-$CLANG_VERSION-dev")
# Real messages (read where they are, never copied into the tree) join the
# working corpus of the targets that read what residents type.
SMS_CORPUS=${SMS_CORPUS:-../shared/corpus/real_sms.jsonl}
TEXT_TARGETS=" rupiah datetime yes_no phone numbers keywords places rsvp text sms_segments utf8 "

install_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Runs one target; leaves "executions coverage corpus findings" in its result file.
run_target() {
  local name=$1
  local bin="$BUILD_DIR/tests/fuzz/fuzz_$name"
  local work="$BUILD_DIR/fuzz-work/$name"
  local artifacts="$BUILD_DIR/artifacts/$name"
  rm -rf "$work" "$artifacts"
  mkdir -p "$work/corpus" "$artifacts"
  cp tests/fuzz/seeds/"$name"/* "$work/corpus/" 2>/dev/null || true
  cp tests/fuzz/regressions/"$name"/* "$work/corpus/" 2>/dev/null || true
  if [[ "$TEXT_TARGETS" == *" $name "* && -f "$SMS_CORPUS" ]] && command -v python3 >/dev/null; then
    python3 - "$SMS_CORPUS" "$work/corpus" <<'EOF'
import json, sys
for i, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    if line.strip():
        with open(f"{sys.argv[2]}/sms_{i:03d}", "w", encoding="utf-8") as f:
            f.write(json.loads(line)["text"])
EOF
  fi
  local rc=0
  "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$work/corpus" >"$work/log" 2>&1 || rc=$?
  local execs cov corp findings
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$' |
    tail -1 || true)
  [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$work/log" | tail -1 | tr -d '#' || true)
  cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -1 | grep -o '[0-9]*$' || true)
  corp=$(find "$work/corpus" -type f | wc -l)
  findings=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
    -o -name 'oom-*' \) | wc -l)
  # A non-zero exit without an artifact (it did not start, or died
  # unexpectedly) is a finding too: the log says what happened.
  if [ "$rc" -ne 0 ] && [ "$findings" -eq 0 ]; then findings="error"; fi
  echo "${execs:-0} ${cov:-?} $corp $findings" >"$work/result"
}

install_packages

targets=("$@")
cmake -S . -B "$BUILD_DIR" -DSUARADESA_FUZZ=ON -DSUARADESA_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
if [ ${#targets[@]} -eq 0 ]; then
  cmake --build "$BUILD_DIR" --target fuzz_all -j "$(nproc)"
  for bin in "$BUILD_DIR"/tests/fuzz/fuzz_*; do
    [ -x "$bin" ] && [ -f "$bin" ] && targets+=("${bin##*/fuzz_}")
  done
else
  cmake --build "$BUILD_DIR" -j "$(nproc)" --target "${targets[@]/#/fuzz_}"
fi

echo "Fuzzing ${#targets[@]} targets for ${FUZZ_SECONDS} s each, ${FUZZ_JOBS} at a time"
running=0
for name in "${targets[@]}"; do
  if [ "$running" -ge "$FUZZ_JOBS" ]; then
    wait -n
    running=$((running - 1))
  fi
  run_target "$name" &
  running=$((running + 1))
done
wait

status=0
printf '%-16s %12s %8s %8s  %s\n' target executions coverage corpus findings
for name in "${targets[@]}"; do
  read -r execs cov corp findings <"$BUILD_DIR/fuzz-work/$name/result"
  printf '%-16s %12s %8s %8s  %s\n' "$name" "$execs" "$cov" "$corp" "$findings"
  if [ "$findings" != "0" ]; then
    status=1
    find "$BUILD_DIR/artifacts/$name" -type f | sed 's/^/    /'
    echo "    log: $BUILD_DIR/fuzz-work/$name/log"
  fi
done
exit "$status"
