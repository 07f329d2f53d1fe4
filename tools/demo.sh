#!/bin/sh
# The README's main job: the smallest end-to-end scenario the tree has.
# It installs the freshly built DLLs into a throwaway Wine prefix inside the
# tree and shows what Wine's mapi32 will find there.

set -e
top=$(cd "$(dirname "$0")/.." && pwd)
WINE=${WINE:-/usr/lib/wine/wine64}
export WINEPREFIX="$top/.wineprefix-demo"
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winedbg.exe=d"
unset DISPLAY

if [ ! -f "$WINEPREFIX/system.reg" ]; then
    echo "demo: creating a Wine prefix in $WINEPREFIX"
    "$WINE" wineboot -i >/dev/null 2>&1
fi
system32="$WINEPREFIX/drive_c/windows/system32"
for dll in "$top"/dlls/*/*.dll; do
    cp "$dll" "$system32/"
    echo "demo: installed $(basename "$dll")"
done
echo "demo: exports of winemapix.dll that Wine's mapi32 looks up:"
/usr/lib/wine/winedump -j export "$system32/winemapix.dll" |
    grep -E ' (MAPIInitialize|MAPILogonEx|MAPIUninitialize|ScInitMapiUtil@4|HrQueryAllRows@24)$' || true
