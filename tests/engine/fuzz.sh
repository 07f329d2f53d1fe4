#!/bin/bash
# Runs the libFuzzer target for a bounded time as a Wine-style test program.
#   fuzz.sh --list      list units
#   fuzz.sh fuzz        fuzz about 15 s from a corpus seeded with the samples
# FUZZ_SECONDS overrides the duration.  Skips when fuzz_pst was not built
# (no clang / libclang-rt) or the samples are missing.
here=$(cd "$(dirname "$0")" && pwd)
unit=$1
summary() { printf '%04x:%s: %d tests executed (0 marked as todo, 0 as flaky, %d failure%s), %d skipped.\n' \
    $$ "$unit" "$1" "$2" "$([ "$2" = 1 ] || echo s)" "$3"; }
case "$unit" in
--list) printf 'Valid test names:\n    fuzz\n'; exit 0 ;;
fuzz) ;;
*) echo "Fatal: test '$unit' does not exist."; exit 1 ;;
esac
shared=${PST_SHARED_DIR:-$here/../../../shared}
if [ ! -x "$here/fuzz_pst" ]; then
    echo "fuzz.sh:$LINENO: Tests skipped: fuzz_pst not built (needs clang with the libFuzzer runtime, libclang-rt-dev)"
    summary 0 0 1; exit 0
fi
if ! ls "$shared"/data/pst/*.pst >/dev/null 2>&1; then
    echo "fuzz.sh:$LINENO: Tests skipped: sample PST files not found in $shared/data/pst"
    summary 0 0 1; exit 0
fi
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
cp "$shared"/data/pst/*.pst "$work/corpus/"
[ -d "$here/fuzz-corpus" ] && cp "$here"/fuzz-corpus/* "$work/corpus/" 2>/dev/null
# inputs that once found a bug, replayed first on every run
cp "$here"/fuzz-regressions/* "$work/corpus/" 2>/dev/null
secs=${FUZZ_SECONDS:-15}
# The 271,360-byte samples need -max_len; the checker is slow per input, so
# allow 10 s before calling an input a hang.
"$here/fuzz_pst" -max_total_time="$secs" -max_len=300000 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/" -print_final_stats=1 "$work/corpus" >"$work/log" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
    tail -n 40 "$work/log"
    for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
        [ -e "$a" ] && mkdir -p "$here/fuzz-artifacts" && cp "$a" "$here/fuzz-artifacts/"
    done
    echo "fuzz.sh:$LINENO: Test failed: libFuzzer exited with $rc (artifacts in tests/engine/fuzz-artifacts)"
    summary 1 1 0; exit 1
fi
runs=$(sed -n 's/.*stat::number_of_executed_units: *//p' "$work/log")
echo "fuzz.sh:$LINENO: ${runs:-?} inputs in ${secs}s without a crash"
summary 1 0 0
exit 0
