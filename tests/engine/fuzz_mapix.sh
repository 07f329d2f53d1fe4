#!/bin/bash
# Runs the fast libFuzzer targets (thousands of inputs a second: winemapix's
# parsers and the engine's LTP layer) for a bounded time as a Wine-style
# test program.
#   fuzz_mapix.sh --list     list units
#   fuzz_mapix.sh mapisvc    mapisvc.inf parsing (winemapix mapisvc.c)
#   fuzz_mapix.sh restrict   restriction checking and evaluation (restrict.c, propval.c)
#   fuzz_mapix.sh entryid    entry ID parsers and their round trips (winepst's and
#                            winemapix's entryid.c, the engine's pst_entryid_*)
#   fuzz_mapix.sh ltp        one node's heap, BTH, PC and TC (the engine's pst_ltp.c)
# FUZZ_SECONDS overrides the duration (default 15).  Skips when the targets
# were not built (no clang / libclang-rt or no Wine headers).  Seeds come
# from fuzz-corpus-UNIT, inputs that once found a bug from
# fuzz-regressions-UNIT (replayed first on every run).  tools/runtests stops
# a unit after RUNTESTS_TIMEOUT (600 s): raise it with a longer FUZZ_SECONDS.
here=$(cd "$(dirname "$0")" && pwd)
unit=$1
summary() { printf '%04x:%s: %d tests executed (0 marked as todo, 0 as flaky, %d failure%s), %d skipped.\n' \
    $$ "$unit" "$1" "$2" "$([ "$2" = 1 ] || echo s)" "$3"; }
case "$unit" in
--list) printf 'Valid test names:\n    mapisvc\n    restrict\n    entryid\n    ltp\n'; exit 0 ;;
mapisvc|restrict|entryid|ltp) ;;
*) echo "Fatal: test '$unit' does not exist."; exit 1 ;;
esac
target="$here/fuzz_$unit"
if [ ! -x "$target" ]; then
    echo "fuzz_mapix.sh:$LINENO: Tests skipped: fuzz_$unit not built (needs clang with the libFuzzer runtime and Wine's headers)"
    summary 0 0 1; exit 0
fi
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
if [ "$unit" = mapisvc ]; then
    # seeds: the tests' mapisvc.inf and, when installed, Wine's own
    for f in "$here"/../../dlls/winemapix/tests/*.inf "$here"/../../dlls/*/mapisvc.inf; do
        [ -f "$f" ] && cp "$f" "$work/corpus/$(basename "$(dirname "$f")")-$(basename "$f")"
    done
    printf '[Services]\nMSUPST MS=Personal Folders\n\n[MSUPST MS]\nProviders=MSUPST MSP\nPR_SERVICE_DLL_NAME=winepst.dll\nPR_RESOURCE_FLAGS=SERVICE_SINGLE_COPY\n\n[MSUPST MSP]\nPR_PROVIDER_DLL_NAME=winepst.dll\nPR_RESOURCE_TYPE=MAPI_STORE_PROVIDER\nPR_MDB_PROVIDER=4e495441f9bfb80100aa0037d96e0000\n66000003=00000001\n' >"$work/corpus/seed.inf"
fi
[ -d "$here/fuzz-corpus-$unit" ] && cp "$here/fuzz-corpus-$unit"/* "$work/corpus/" 2>/dev/null
[ -d "$here/fuzz-regressions-$unit" ] && cp "$here/fuzz-regressions-$unit"/* "$work/corpus/" 2>/dev/null
secs=${FUZZ_SECONDS:-15}
# an LTP input holds up to four data blocks and seven subnodes of up to 8 KB
# each; 32 KB leaves room for several full ones
maxlen=4096
[ "$unit" = ltp ] && maxlen=32768
"$target" -max_total_time="$secs" -max_len=$maxlen -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/" -print_final_stats=1 "$work/corpus" >"$work/log" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
    tail -n 40 "$work/log"
    for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
        [ -e "$a" ] && mkdir -p "$here/fuzz-artifacts" && cp "$a" "$here/fuzz-artifacts/$unit-$(basename "$a")"
    done
    echo "fuzz_mapix.sh:$LINENO: Test failed: libFuzzer exited with $rc (artifacts in tests/engine/fuzz-artifacts)"
    summary 1 1 0; exit 1
fi
runs=$(sed -n 's/.*stat::number_of_executed_units: *//p' "$work/log")
echo "fuzz_mapix.sh:$LINENO: ${runs:-?} inputs in ${secs}s without a crash"
summary 1 0 0
exit 0
