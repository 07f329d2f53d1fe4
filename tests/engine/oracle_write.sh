#!/bin/bash
# Oracle harness for the writer (a Wine-style test program): stores written
# by the engine (test_write --make-samples) must be read the same way by
# pstwalk and by each independent reader, one unit per reader:
#   libpst (lspst + readpst), pffexport, pypff, pst_extractor (npm);
# big: 10,000 messages and a 20 MiB attachment through libpst and
# pffexport (slower, about 30 s).  Missing tools make a unit skip.
here=$(cd "$(dirname "$0")" && pwd)
unit=$1
units="libpst pffexport pypff pst_extractor big"
summary() { printf '%04x:%s: %d tests executed (0 marked as todo, 0 as flaky, %d failure%s), %d skipped.\n' \
    $$ "$unit" "$1" "$2" "$([ "$2" = 1 ] || echo s)" "$3"; }
if [ "$unit" = --list ] || [ -z "$unit" ]; then
    echo "Valid test names:"; for u in $units; do echo "    $u"; done
    [ -z "$unit" ] && exit 1; exit 0
fi
case " $units " in *" $unit "*) ;; *) echo "Fatal: test '$unit' does not exist."; exit 1 ;; esac
if [ ! -x /usr/bin/python3 ]; then
    echo "oracle_write.sh:$LINENO: Tests skipped: /usr/bin/python3 not found"; summary 0 0 1; exit 0
fi
if [ ! -x "$here/pstwalk" ] || [ ! -x "$here/test_write" ]; then
    echo "oracle_write.sh:$LINENO: Test failed: pstwalk / test_write not built (run make -C tests/engine)"; summary 1 1 0; exit 1
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
if [ "$unit" = big ]; then
    if ! "$here/test_write" --make-samples "$dir" big >/dev/null; then
        echo "oracle_write.sh:$LINENO: Test failed: could not write the big store"; summary 1 1 0; exit 1
    fi
    fail=0
    for u in libpst pffexport; do
        timeout 600 /usr/bin/python3 "$here/oracle.py" "$u" "$here/pstwalk" "$dir" | grep -v ' tests executed ' \
            || true
        [ "${PIPESTATUS[0]}" = 0 ] || fail=$((fail + 1))
    done
    summary 2 $fail 0
    exit $fail
fi
if ! "$here/test_write" --make-samples "$dir" >/dev/null; then
    echo "oracle_write.sh:$LINENO: Test failed: could not write the sample stores"; summary 1 1 0; exit 1
fi
exec timeout 600 /usr/bin/python3 "$here/oracle.py" "$unit" "$here/pstwalk" "$dir"
