#!/bin/bash
# Tests of the test harness itself: include/wine/test.h and tools/runtests.
#
# A test program by the runner's contract ("--list", then one unit per run,
# Wine's output format).  It runs harness_test.exe, whose units pass, fail,
# crash, hang or print one line of every kind on purpose, and checks that
# the runner counts each the right way and that the output matches Wine
# 8.0's format character for character.

top=$(cd "$(dirname "$0")/../.." && pwd)
harness="$top/tools/testharness/harness_test.exe"
runner="$top/tools/runtests"
WINE=${WINE:-/usr/lib/wine/wine64}
units="runner_counts_pass runner_counts_failure runner_counts_crash runner_counts_todo_success
       runner_counts_timeout runner_counts_mixed output_formats exit_codes"

successes=0
failures=0

# ok LINE CONDITION-STATUS MESSAGE: one check, printed like Wine's ok()
ok()
{
    if [ "$2" -eq 0 ]; then
        successes=$((successes + 1))
    else
        failures=$((failures + 1))
        echo "selftest.sh:$1: Test failed: $3"
    fi
}

# nested runs share the caller's prefix and must leave its wineserver alone
run_runner()
{
    RUNTESTS_KEEP_SERVER=1 sh "$runner" "$@" 2>&1 | tr -d '\r'
    return "${PIPESTATUS[0]}"
}

run_harness()
{
    (cd "$(dirname "$harness")" && "$WINE" ./harness_test.exe "$@" 2>/dev/null | tr -d '\r'
     exit "${PIPESTATUS[0]}")
}

last_line() { printf '%s\n' "$1" | tail -n 1; }

runner_counts_pass()
{
    out=$(run_runner "$harness:passing")
    ok $LINENO $? "runner exit code for a passing unit: $out"
    [ "$(last_line "$out")" = "1 passed, 0 failed" ]
    ok $LINENO $? "passing unit counted wrong: $(last_line "$out")"
}

runner_counts_failure()
{
    out=$(run_runner "$harness:failing")
    [ $? -ne 0 ]
    ok $LINENO $? "runner must exit non-zero when a unit fails"
    [ "$(last_line "$out")" = "0 passed, 1 failed" ]
    ok $LINENO $? "failing unit counted wrong: $(last_line "$out")"
    printf '%s\n' "$out" | grep -q 'Test failed: deliberate failure 42'
    ok $LINENO $? "runner did not show the failing check"
}

runner_counts_crash()
{
    out=$(run_runner "$harness:crashing")
    [ "$(last_line "$out")" = "0 passed, 1 failed" ]
    ok $LINENO $? "crashing unit counted wrong: $(last_line "$out")"
    printf '%s\n' "$out" | grep -q 'FAIL .*crashing (crashed'
    ok $LINENO $? "crash not reported as a crash: $out"
}

runner_counts_todo_success()
{
    out=$(run_runner "$harness:todo_success")
    [ "$(last_line "$out")" = "0 passed, 1 failed" ]
    ok $LINENO $? "success inside a todo block counted wrong: $(last_line "$out")"
}

runner_counts_timeout()
{
    out=$(RUNTESTS_TIMEOUT=5 run_runner "$harness:hanging")
    [ "$(last_line "$out")" = "0 passed, 1 failed" ]
    ok $LINENO $? "hanging unit counted wrong: $(last_line "$out")"
    printf '%s\n' "$out" | grep -q 'timeout after 5s'
    ok $LINENO $? "timeout not reported: $out"
}

runner_counts_mixed()
{
    out=$(run_runner "$harness:passing" "$harness:failing" "$harness:two_failures")
    [ "$(last_line "$out")" = "1 passed, 2 failed" ]
    ok $LINENO $? "three units counted wrong: $(last_line "$out")"
}

# the line of formats.c that holds TEXT
source_line()
{
    grep -n -F "$1" "$top/tools/testharness/formats.c" | head -n 1 | cut -d: -f1
}

output_formats()
{
    out=$(run_harness formats)
    status=$?
    ok $LINENO $((status != 4)) "formats exit code $status, expected 4"
    # the pid differs each run
    got=$(printf '%s\n' "$out" | sed 's/^[0-9a-f]\{4,\}:formats:/PID:formats:/')
    expected="formats.c:$(source_line 'plain failure'): Test failed: plain failure text
formats.c:$(source_line 'with context'): Test failed: outer 1: inner: with context
formats.c:$(source_line 'todo failure'): Test marked todo: todo failure
formats.c:$(source_line 'todo success'): Test succeeded inside todo block: todo success
formats.c:$(source_line 'flaky failure'): Test marked flaky: flaky failure
formats.c:$(source_line 'skipped %u'): Tests skipped: skipped 3
formats.c:$(source_line 'trace %s'): trace L\"wide\"
formats.c:$(source_line 'win_skip on wine'): Test failed: win_skip on wine
PID:formats: 7 tests executed (1 marked as todo, 1 as flaky, 4 failures), 1 skipped."
    [ "$got" = "$expected" ]
    ok $LINENO $? "output differs from Wine's format:
--- expected
$expected
--- got
$got"
}

exit_codes()
{
    run_harness passing >/dev/null
    ok $LINENO $? "passing unit must exit 0"
    run_harness failing >/dev/null
    status=$?
    ok $LINENO $((status != 1)) "failing unit exit code $status, expected 1"
    run_harness two_failures >/dev/null
    status=$?
    ok $LINENO $((status != 2)) "two failures exit code $status, expected 2"
    out=$(run_harness failing)
    printf '%s\n' "$out" | grep -q '^[0-9a-f]\{4,\}:failing: 2 tests executed (0 marked as todo, 0 as flaky, 1 failure), 0 skipped\.$'
    ok $LINENO $? "singular summary line wrong: $out"
    out=$(run_harness --list)
    status=$?
    ok $LINENO $status "--list exit code $status"
    [ "$(printf '%s\n' "$out" | grep -c '^    ')" -eq 7 ]
    ok $LINENO $? "--list must name the 7 units: $out"
    out=$(run_harness nosuch)
    status=$?
    ok $LINENO $((status != 1)) "unknown unit exit code $status, expected 1"
    [ "$out" = "Fatal: test 'nosuch' does not exist." ]
    ok $LINENO $? "unknown unit message: $out"
    out=$(run_harness)
    status=$?
    ok $LINENO $((status != 1)) "no argument with several units: exit code $status, expected 1"
    printf '%s\n' "$out" | grep -q '^Usage: '
    ok $LINENO $? "no usage line: $out"
}

case "${1:-}" in
    --list)
        echo "Valid test names:"
        for unit in $units; do echo "    $unit"; done
        exit 0 ;;
    "")
        echo "Usage: $0 test_name"
        exit 1 ;;
esac
case " $(echo $units) " in
    *" $1 "*) ;;
    *) echo "Fatal: test '$1' does not exist."; exit 1 ;;
esac
if [ ! -f "$harness" ]; then
    echo "selftest.sh:$LINENO: Test failed: $harness was not built"
    failures=1
else
    "$1"
fi
total=$((successes + failures))
failure_word=failures
[ $failures -eq 1 ] && failure_word=failure
printf '%04x:%s: %d tests executed (0 marked as todo, 0 as flaky, %d %s), 0 skipped.\n' \
    $$ "$1" $total $failures $failure_word
[ $failures -gt 255 ] && failures=255
exit $failures
