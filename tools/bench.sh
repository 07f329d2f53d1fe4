#!/bin/sh
# Runs every benchmark and prints ONE table.  Not a test: nothing here
# passes or fails; see BENCHMARKS.md for the figures and what they mean.
#
# Usage: tools/bench.sh
#
# Each figure is printed next to the baseline it is compared to, measured in
# the same run (mostly in the same process), so that ratios hold on a noisy
# machine.  A figure that cannot be measured prints "not measurable yet:
# WHY" instead of a number.
#
# Environment: BENCH_DATA (cache of generated stores and the Wine prefix,
# default .benchdata at the top of the tree, gitignored), BENCH_ENGINE (a
# bench_engine built elsewhere, when the tree's engine is mid-edit), BENCH_1M=1 to
# generate the 1,000,000-message store (long: see BENCHMARKS.md),
# BENCH_TIMEOUT (seconds one mapibench run may take, default 1200), WINE,
# MKPST_DIR (where mkpst.py is, default ../shared/tools/pst).

set -u
top=$(cd "$(dirname "$0")/.." && pwd)
WINE=${WINE:-/usr/lib/wine/wine64}
WINESERVER=${WINESERVER:-/usr/lib/wine/wineserver}
data=${BENCH_DATA:-$top/.benchdata}
samples=${WINEMAPIX_TEST_DATA:-$top/../shared/data/pst}
mkdir -p "$data/run"
kv="$data/run/figures.txt"
: >"$kv"
note() { echo "bench: $*" >&2; }

# --- data: generated once, reused ---------------------------------------
gen()
{
    [ -f "$data/$1" ] && return 0
    note "generating $1 ($2 messages; cached for later runs)"
    python3 "$top/tools/benchdata.py" "$data/$1" "$2" ${3:-} >&2 || note "could not generate $1"
}
gen m10000.pst 10000
gen m100000.pst 100000
if [ "${BENCH_1M:-0}" = 1 ]; then gen m1000000.pst 1000000 --no-recipients; fi

# --- build ----------------------------------------------------------------
note "building"
[ -n "${BENCH_ENGINE:-}" ] || (cd "$top" && flock /tmp/mapix-build.lock make -C tests/engine bench_engine >"$data/run/build-native.log" 2>&1) ||
    note "native build failed: see $data/run/build-native.log"
(cd "$top" && flock /tmp/mapix-build.lock make dlls/winemapix/winemapix.dll dlls/winepst/winepst.dll \
    programs/mapibench/mapibench.exe >"$data/run/build-pe.log" 2>&1) ||
    note "PE build failed: see $data/run/build-pe.log"
engine=${BENCH_ENGINE:-$top/tests/engine/bench_engine}
mapibench="$top/programs/mapibench/mapibench.exe"

# --- native engine ----------------------------------------------------------
run_engine()   # prefix mode file [n]
{
    p=$1; shift
    if [ ! -x "$engine" ]; then echo "${p}_status not measurable yet: bench_engine does not build" >>"$kv"; return; fi
    if [ ! -f "$2" ]; then echo "${p}_status not measurable yet: $(basename "$2") not generated" >>"$kv"; return; fi
    note "engine $1 $(basename "$2") ${3:-}"
    "$engine" "$@" 2>&1 | sed "s/^/${p}_/" >>"$kv"
}
run_engine e_cyc cycles "$data/m10000.pst" 1000
run_engine e10k readall "$data/m10000.pst"
run_engine e100k folder "$data/m100000.pst" 5
run_engine e1m folder "$data/m1000000.pst" 3
run_engine etd teardown "$data/m10000.pst" 10000
# figure 2: 10,000 messages, a commit each and a commit per 100; figure 6:
# the peak RSS of a 100,000-message import (a commit per 100)
if [ -x "$engine" ]; then
    note "engine ingest 10000 both"
    rm -f "$data/run/ing.pst" "$data/run/ing.pst.b100"
    "$engine" ingest "$data/run/ing.pst" 10000 both 2>&1 | sed "s/^/e_ing_/" >>"$kv"
    note "engine ingest 100000 100"
    rm -f "$data/run/ing.pst" "$data/run/ing.pst.b100"
    "$engine" ingest "$data/run/ing.pst" 100000 100 2>&1 | sed "s/^/e_ing100k_/" >>"$kv"
    rm -f "$data/run/ing.pst"
else
    echo "e_ing_status not measurable yet: bench_engine does not build" >>"$kv"
    echo "e_ing100k_status not measurable yet: bench_engine does not build" >>"$kv"
fi
# figure 7: a new store of 10,000 messages, then half deleted and as many saved
if [ -x "$engine" ]; then
    note "engine size 10000"
    rm -f "$data/run/size.pst"
    "$engine" size "$data/run/size.pst" 10000 2>&1 | sed "s/^/esz_/" >>"$kv"
    rm -f "$data/run/size.pst"
else
    echo "esz_status not measurable yet: bench_engine does not build" >>"$kv"
fi

# --- the other readers on the same file, same run -------------------------
time_cmd()     # key command...
{
    k=$1; shift
    if ! command -v "$1" >/dev/null 2>&1; then echo "${k}_status not measurable yet: $1 not installed" >>"$kv"; return; fi
    rm -rf "$data/run/out"; mkdir -p "$data/run/out"
    note "timing $1"
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    echo "$k $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e6 }')" >>"$kv"
    rm -rf "$data/run/out"
}
# readpst -j 0: one process, as ours; its default forks children that share
# the file offset and can drop items (tests/engine/oracle.py).
time_cmd readpst readpst -j 0 -q -o "$data/run/out" "$data/m10000.pst"
time_cmd pffexport pffexport -q -t "$data/run/out/x" "$data/m10000.pst"

# --- through Wine's mapi32 -> winemapix -> winepst -------------------------
export WINEPREFIX="$data/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winedbg.exe=d"
unset DISPLAY WAYLAND_DISPLAY
pe_ok=1
for f in "$top/dlls/winemapix/winemapix.dll" "$top/dlls/winepst/winepst.dll" "$mapibench"; do
    [ -f "$f" ] || { pe_ok=0; pe_why="$(basename "$f") does not build (tree under edit)"; }
done
if [ $pe_ok = 1 ]; then
    if [ ! -f "$WINEPREFIX/system.reg" ]; then note "creating Wine prefix $WINEPREFIX"; "$WINE" wineboot -i >/dev/null 2>&1; fi
    cp "$top/dlls/winemapix/winemapix.dll" "$top/dlls/winepst/winepst.dll" "$WINEPREFIX/drive_c/windows/system32/"
    "$WINE" regsvr32 /s winemapix.dll >/dev/null 2>&1
    "$WINE" regsvr32 /s winepst.dll >/dev/null 2>&1
fi
winpath() { echo "Z:$1" | sed 's|/|\\|g'; }
run_mapi()     # prefix mode source.pst [n]
{
    p=$1; mode=$2; src=$3; shift 3
    if [ $pe_ok = 0 ]; then echo "${p}_status not measurable yet: $pe_why" >>"$kv"; return; fi
    if [ ! -f "$src" ]; then echo "${p}_status not measurable yet: $(basename "$src") not generated" >>"$kv"; return; fi
    cp "$src" "$data/run/work.pst"
    note "mapibench $mode $(basename "$src") $*"
    timeout ${BENCH_TIMEOUT:-1200} "$WINE" "$mapibench" "$mode" "$(winpath "$data/run/work.pst")" "$@" 2>"$data/run/$p.err" |
        tr -d '\r' | sed "s/^/${p}_/" >>"$kv"
    grep -q "^${p}_" "$kv" || echo "${p}_status not measurable yet: mapibench $mode crashed or printed nothing (see $data/run/$p.err)" >>"$kv"
}
run_mapi m_cyc cycles "$samples/pstsdk_sample1.pst" 1000
run_mapi m_ing ingest "$samples/outlook-pst-rs_Empty.pst" 10000
run_mapi m_ing100k ingest "$samples/outlook-pst-rs_Empty.pst" 100000
run_mapi m_fold folder "$data/m100000.pst"
run_mapi m_read readall "$data/m10000.pst"
run_mapi m_td1 teardown "$data/m10000.pst" 1000
run_mapi m_td10 teardown "$data/m10000.pst" 10000
run_mapi m_td100 teardown "$data/m100000.pst" 100000
[ $pe_ok = 1 ] && "$WINESERVER" -k 2>/dev/null
rm -f "$data/run/work.pst"

# --- the table ---------------------------------------------------------------
awk -v nproc="$(nproc)" -v cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" \
    -v mem="$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)" '
function has(k) { return (k in v) }
function val(k) { return v[k] }
# why a figure is missing: the first status line of its run
function why(p,   k) { for (k in v) if (index(k, p "_") == 1 && k ~ /_status$/) return v[k]; return "" }
function fig(p, k, unit,   w) {
    if (has(p "_" k)) return sprintf("%s %s", val(p "_" k), unit)
    w = why(p); if (w == "") w = "not measurable yet: no figure printed"
    return w
}
function ratio(a, b) { return (a + 0 > 0 && b + 0 > 0) ? sprintf("x%.1f", a / b) : "" }
function verdict(x, t) { return (x == "") ? "-" : (x + 0 <= t ? "met" : "MISSED") }
function rate(n, ms) { return (ms + 0 > 0) ? sprintf("%.1f", n * 1000 / ms) : "" }
function share(a, b) { return (a + 0 > 0 && b + 0 > 0) ? sprintf("%.3f", a / b) : "" }
function atleast(x, t) { return (x == "") ? "-" : (x + 0 >= t ? "met" : "MISSED") }
function row(name, f, base, r, target, verd) {
    printf "| %s | %s | %s | %s | %s | %s |\n", name, f, base, r, target, verd
}
{ k = $1; $1 = ""; sub(/^ /, ""); if (!(k in v)) v[k] = $0 }
END {
    printf "Machine: %s CPUs, %s, %s RAM\n\n", nproc, cpu, mem
    print "| # | figure | baseline (same run) | ratio | target | verdict |"
    print "|---|---|---|---|---|---|"
    m = has("m_cyc_cycles_median_ms") ? val("m_cyc_cycles_median_ms") : ""
    row("1 logon/logoff cycle, MAPI, median", fig("m_cyc", "cycles_median_ms", "ms"),
        has("m_cyc_cycles_base_median_ms") ? "Win32 open+read 564 B+close " val("m_cyc_cycles_base_median_ms") " ms" : "-",
        ratio(m, val("m_cyc_cycles_base_median_ms")), "<= 1 ms", verdict(m, 1))
    row("1 logon/logoff cycle, MAPI, p90", fig("m_cyc", "cycles_p90_ms", "ms"),
        has("m_cyc_cycles_base_p90_ms") ? val("m_cyc_cycles_base_p90_ms") " ms" : "-",
        ratio(val("m_cyc_cycles_p90_ms"), val("m_cyc_cycles_base_p90_ms")), "-", "-")
    row("1 open+store PC+close, engine, median", fig("e_cyc", "engine_open_median_ms", "ms"),
        has("e_cyc_posix_header_median_ms") ? "POSIX open+read 564 B+close " val("e_cyc_posix_header_median_ms") " ms" : "-",
        ratio(val("e_cyc_engine_open_median_ms"), val("e_cyc_posix_header_median_ms")), "-", "-")
    # figure 2 as rates: messages per second against the baseline
    for (i = 1; i <= 2; i++) {
        p = (i == 1) ? "m_ing" : "m_ing100k"; n = (i == 1) ? "10,000" : "100,000"
        x = has(p "_ingest_ms") ? rate(val(p "_ingest_messages"), val(p "_ingest_ms")) : ""
        b = has(p "_ingest_base_ms") ? rate(val(p "_ingest_messages"), val(p "_ingest_base_ms")) : ""
        row("2 ingest " n " messages, a SaveChanges (one commit) each, MAPI", (x != "") ? x " msg/s" : fig(p, "ingest_ms", ""),
            (b != "") ? "Win32 same bytes, a flush per message: " b " msg/s" : "-",
            share(x, b), ">= 1/3 of the baseline rate", atleast(share(x, b), 1 / 3))
    }
    row("2 ingest with batched commits, MAPI", "not measurable: MAPI has no batched commit (every IMessage::SaveChanges is one commit)",
        "-", "-", "-", "-")
    split("b1 b100", bs, " ")
    for (i = 1; i <= 2; i++) {
        p = "e_ing_ingest_" bs[i]
        row("2 ingest 10,000 messages, " (i == 1 ? "a commit each" : "a commit per 100") ", engine",
            has(p "_msgs_per_s") ? val(p "_msgs_per_s") " msg/s" : fig("e_ing", "x", ""),
            has(p "_baseline_msgs_per_s") ? "write()+fsync same bytes, " val(p "_baseline_fsyncs") " fsyncs: " val(p "_baseline_msgs_per_s") " msg/s" : "-",
            has(p "_rate_vs_baseline") ? val(p "_rate_vs_baseline") : "", ">= 1/3 of the baseline rate",
            atleast(val(p "_rate_vs_baseline"), 1 / 3))
    }
    x = has("m_fold_folder_sort_query50_ms") ? val("m_fold_folder_sort_query50_ms") : ""
    row("3 100k folder: contents table, SetColumns(8), SortTable, QueryRows(50), MAPI", fig("m_fold", "folder_sort_query50_ms", "ms"),
        has("e100k_sort_base_qsort_median_ms") ? "qsort of the keys " val("e100k_sort_base_qsort_median_ms") " ms" : "-",
        ratio(x, val("e100k_sort_base_qsort_median_ms")), "<= 100 ms", verdict(x, 100))
    x = has("m_fold_folder_restrict_ms") ? val("m_fold_folder_restrict_ms") : ""
    row("3 100k folder: Restrict subject substring, MAPI", fig("m_fold", "folder_restrict_ms", "ms"),
        has("e100k_restrict_base_scan_median_ms") ? "scan in memory " val("e100k_restrict_base_scan_median_ms") " ms" : "-",
        ratio(x, val("e100k_restrict_base_scan_median_ms")), "<= 500 ms", verdict(x, 500))
    for (i = 1; i <= 2; i++) {
        p = (i == 1) ? "e100k" : "e1m"; n = (i == 1) ? "100k" : "1M"
        x = has(p "_sort_query50_median_ms") ? val(p "_sort_query50_median_ms") : ""
        row("3 " n " folder (" (has(p "_folder_rows") ? val(p "_folder_rows") : "?") " rows): open table, sort by delivery time, 50 rows x 8 columns, engine",
            fig(p, "sort_query50_median_ms", "ms"),
            has(p "_sort_base_qsort_median_ms") ? "qsort of the keys " val(p "_sort_base_qsort_median_ms") " ms" : "-",
            ratio(x, val(p "_sort_base_qsort_median_ms")), (i == 1) ? "<= 100 ms" : "- (growth)", (i == 1) ? verdict(x, 100) : "-")
        x = has(p "_restrict_median_ms") ? val(p "_restrict_median_ms") : ""
        row("3 " n " folder: subject substring over all rows, engine", fig(p, "restrict_median_ms", "ms"),
            has(p "_restrict_base_scan_median_ms") ? "scan in memory " val(p "_restrict_base_scan_median_ms") " ms" : "-",
            ratio(x, val(p "_restrict_base_scan_median_ms")), (i == 1) ? "<= 500 ms" : "- (growth)", (i == 1) ? verdict(x, 500) : "-")
    }
    rp = has("readpst") ? val("readpst") : ""; pf = has("pffexport") ? val("pffexport") : ""
    best = (rp != "" && (pf == "" || rp + 0 < pf + 0)) ? rp : pf
    cmp = "readpst " (rp != "" ? rp " ms" : why("readpst")) ", pffexport " (pf != "" ? pf " ms" : why("pffexport"))
    x = has("e10k_readall_ms") ? val("e10k_readall_ms") : ""
    row("4 read subject+sender+size of 10k messages, engine", fig("e10k", "readall_ms", "ms"), cmp,
        ratio(x, best), "faster than both", (x == "" || best == "") ? "-" : (x + 0 < best + 0 ? "met" : "MISSED"))
    x = has("m_read_readall_ms") ? val("m_read_readall_ms") : ""
    row("4 read subject+sender+size of 10k messages, MAPI", fig("m_read", "readall_ms", "ms"), cmp,
        ratio(x, best), "faster than both", (x == "" || best == "") ? "-" : (x + 0 < best + 0 ? "met" : "MISSED"))
    row("4 physical floor: read the 10k file sequentially", fig("e10k", "readall_base_sequential_read_ms", "ms"), "-", "-", "-", "-")
    split("1 10 100", ns, " ")
    for (i = 1; i <= 3; i++) {
        p = "m_td" ns[i]; n = ns[i] * 1000
        x = has(p "_teardown_" n "_logoff_ms") ? val(p "_teardown_" n "_logoff_ms") : ""
        row("5 IMAPISession::Logoff holding " n " " (has(p "_teardown_" n "_kind") ? val(p "_teardown_" n "_kind") : "objects"),
            (x != "") ? sprintf("%s ms (%.2f us/object)", x, x * 1000 / n) : fig(p, "x", ""),
            "-", "-", (n == 10000) ? "<= 50 ms, linear" : "linear", (n == 10000) ? verdict(x, 50) : "-")
    }
    row("5 engine: close 10,000 held messages + file", has("etd_teardown_close_ms") ? val("etd_teardown_close_ms") " ms (" val("etd_teardown_close_per_object_us") " us/object)" : fig("etd", "x", ""),
        "-", "-", "-", "-")
    x = has("m_ing100k_mapibench_peak_working_set_kb") ? val("m_ing100k_mapibench_peak_working_set_kb") : ""
    row("6 peak working set during the 100,000-message import, MAPI", fig("m_ing100k", "mapibench_peak_working_set_kb", "KiB"),
        "-", "-", "<= 204800 KiB", verdict(x, 204800))
    row("6 peak RSS during a 100,000-message import (a commit per 100), engine", fig("e_ing100k", "maxrss_kb", "KiB"), "-", "-", "-", "-")
    row("6 peak working set, mapibench, 100k folder run", fig("m_fold", "mapibench_peak_working_set_kb", "KiB"), "-", "-", "-", "-")
    row("6 peak RSS, bench_engine, biggest folder run", has("e1m_maxrss_kb") ? val("e1m_maxrss_kb") " KiB (1M)" : fig("e100k", "maxrss_kb", "KiB (100k)"), "-", "-", "-", "-")
    x = has("m_cyc_cycles_memory_growth_kb") ? val("m_cyc_cycles_memory_growth_kb") : ""
    row("6 private bytes growth over 1,000 logon/logoff cycles", fig("m_cyc", "cycles_memory_growth_kb", "KiB"), "-", "-", "< 1024 KiB", verdict(x, 1023))
    row("7 PST bytes / raw content bytes after ingesting 10,000 messages, engine", fig("esz", "size_ratio_after_ingest", ""),
        fig("esz", "size_file_bytes_after_ingest", "file bytes") " / " fig("esz", "size_content_bytes", "content bytes"), "-", "-", "-")
    row("7 the same after deleting half and saving as many again, engine", fig("esz", "size_ratio_after_churn", ""),
        fig("esz", "size_file_bytes_after_churn", "file bytes") " / " fig("esz", "size_content_bytes", "content bytes"), "-", "-", "-")
}' "$kv"
