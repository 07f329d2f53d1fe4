#!/bin/sh
# The README's main job: a MAPI client keeps mail in a .pst file under Wine.
#
# In a throwaway prefix inside the tree (.wineprefix-demo) it installs the
# freshly built winemapix and winepst (mapitool install), creates a profile
# with a Personal Folders store, puts the sample messages of
# programs/mapitool/samples into it, prints the folder tree and a message,
# runs the logoff trace, and finally lets readpst (libpst, an independent
# reader) read the same file.  Everything goes through Wine's own mapi32.dll
# and the public Extended MAPI interfaces.

top=$(cd "$(dirname "$0")/.." && pwd)
WINE=${WINE:-/usr/lib/wine/wine64}
export WINEPREFIX="$top/.wineprefix-demo"
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winedbg.exe=d"
unset DISPLAY WAYLAND_DISPLAY
data=${WINEMAPIX_TEST_DATA:-$top/../shared/data/pst}
work="$WINEPREFIX/demo"
profile="Demo"

say() { printf '\n=== %s\n' "$*"; }


# the same without the exit-code dance, for when the code matters
mapitool_rc()
{
    echo "\$ mapitool $*"
    cd "$top/programs/mapitool" || return 1
    "$WINE" ./mapitool.exe "$@" >"$work/out.txt" 2>&1
    rc=$?
    tr -d '\r' <"$work/out.txt"
    cd "$top"
    return $rc
}

if [ ! -f "$top/programs/mapitool/mapitool.exe" ]; then
    echo "demo: build first (make)"
    exit 1
fi
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    say "creating a Wine prefix in $WINEPREFIX"
    "$WINE" wineboot -i >/dev/null 2>&1
fi
mkdir -p "$work"

say "install: copy the DLLs into the prefix and register them"
mapitool_rc install ${MAPITOOL_INSTALL_FROM:+"$MAPITOOL_INSTALL_FROM"} || { echo "demo: install failed"; exit 1; }

say "a profile with a Personal Folders store"
mapitool_rc profiles delete "$profile" >/dev/null 2>&1
pst="$work/demo.pst"
rm -f "$pst"
created=0
if mapitool_rc profiles create "$profile" --pst "$pst" --display "Demo Folders" &&
   mapitool_rc folders --profile "$profile" >/dev/null 2>&1 && [ -s "$pst" ]; then
    created=1
    echo "winepst created the new store $pst"
else
    # until winepst can create a file, the demo works on a copy of a
    # store Outlook wrote
    mapitool_rc profiles delete "$profile" >/dev/null 2>&1
    sample="$data/pstsdk_sample1.pst"
    [ -f "$sample" ] || sample="$data/javalibpst_dist-list.pst"
    cp "$sample" "$pst"
    chmod u+w "$pst"
    echo "NOTE: winepst cannot create PST files yet; using a copy of $(basename "$sample")"
    mapitool_rc profiles create "$profile" --pst "$pst" --display "Demo Folders" || exit 1
fi
mapitool_rc profiles default "$profile"
mapitool_rc profiles list
mapitool_rc stores

say "import the sample messages (.eml, parsed by inetcomm)"
folder=Sample1
if [ $created = 1 ]; then
    # a new store has the default mail folders; make one more of our own
    folder=Inbox
    mapitool_rc folders create Projects
fi
if ! mapitool_rc messages import "$folder" "$top"/programs/mapitool/samples/*.eml; then
    echo "NOTE: the store is not writable yet; the folders and messages below are the sample's own"
fi

say "the folder tree"
mapitool_rc folders

say "the messages of $folder, newest first, and the first one in full"
mapitool_rc messages list "$folder" --sort -date
mapitool_rc messages show "$folder" 1

say "the logoff trace: objects held across StoreLogoff and IMAPISession::Logoff"
mapitool_rc logoff-trace

say "the strict checker on the same file"
mapitool_rc check "$pst" --quiet

say "an independent reader: readpst (libpst) on the same file"
if command -v readpst >/dev/null 2>&1; then
    rm -rf "$work/readpst"
    mkdir -p "$work/readpst"
    # -j 0: readpst's parallel children share one file offset and can
    # misread a block; one process reads every item.
    readpst -j 0 -o "$work/readpst" -D "$pst" 2>&1 | grep -E 'Processing Folder|items done|skipped'
    echo "readpst wrote: $(find "$work/readpst" -type f | wc -l) mailbox file(s)"
else
    echo "readpst is not installed (Debian package pst-utils)"
fi
