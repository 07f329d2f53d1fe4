#!/bin/bash
# Oracle harness (a Wine-style test program): compares pstwalk's view of
# every sample PST with independent readers, one unit per oracle:
#   libpst (lspst + readpst), pffexport, pypff, pst_extractor (npm)
# Missing tools make the unit skip.  oracle.sh --list lists the units.
here=$(cd "$(dirname "$0")" && pwd)
unit=$1
units="libpst pffexport pypff pst_extractor"
summary() { printf '%04x:%s: %d tests executed (0 marked as todo, 0 as flaky, %d failure%s), %d skipped.\n' \
    $$ "$unit" "$1" "$2" "$([ "$2" = 1 ] || echo s)" "$3"; }
if [ "$unit" = --list ] || [ -z "$unit" ]; then
    echo "Valid test names:"; for u in $units; do echo "    $u"; done
    [ -z "$unit" ] && exit 1; exit 0
fi
case " $units " in *" $unit "*) ;; *) echo "Fatal: test '$unit' does not exist."; exit 1 ;; esac
shared=${PST_SHARED_DIR:-$here/../../../shared}
if ! ls "$shared"/data/pst/*.pst >/dev/null 2>&1; then
    echo "oracle.sh:$LINENO: Tests skipped: sample PST files not found in $shared/data/pst"; summary 0 0 1; exit 0
fi
if [ ! -x /usr/bin/python3 ]; then
    echo "oracle.sh:$LINENO: Tests skipped: /usr/bin/python3 not found"; summary 0 0 1; exit 0
fi
if [ ! -x "$here/pstwalk" ]; then
    echo "oracle.sh:$LINENO: Test failed: pstwalk not built (run make -C tests/engine)"; summary 1 1 0; exit 1
fi
exec timeout 600 /usr/bin/python3 "$here/oracle.py" "$unit" "$here/pstwalk" "$shared/data/pst"
