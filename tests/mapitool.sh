#!/bin/bash
# Tests of programs/mapitool, the console MAPI client.
#
# A test program by the runner's contract ("--list", then one unit per run,
# Wine's output format).  Every unit drives mapitool.exe under wine64 in a
# prefix of its own (MAPITOOL_TEST_PREFIX, default .wineprefix-mapitool at
# the top of the tree: profiles made here must not leak into the runner's
# prefix), after "mapitool install" put the freshly built DLLs there.
# Expected values come from the sample files themselves, readpst and lspst,
# never from mapitool's own earlier output.

top=$(cd "$(dirname "$0")/.." && pwd)
tool="$top/programs/mapitool/mapitool.exe"
samples="$top/programs/mapitool/samples"
data=${WINEMAPIX_TEST_DATA:-$top/../shared/data/pst}
WINE=${WINE:-/usr/lib/wine/wine64}
WINESERVER=${WINESERVER:-/usr/lib/wine/wineserver}
export WINEPREFIX=${MAPITOOL_TEST_PREFIX:-$top/.wineprefix-mapitool}
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winedbg.exe=d"
unset DISPLAY WAYLAND_DISPLAY

units="usage install mime profiles stores folders messages export export_names writes check logoff"
# each unit is the function unit_NAME

successes=0
failures=0

# ok LINE STATUS MESSAGE: one check, printed like Wine's ok()
ok()
{
    if [ "$2" -eq 0 ]; then
        successes=$((successes + 1))
    else
        failures=$((failures + 1))
        echo "mapitool.sh:$1: Test failed: $3"
    fi
}

# run ARGS...: mapitool's stdout and stderr in $out, its exit code in $rc
run()
{
    out=$(cd "$top/programs/mapitool" && "$WINE" ./mapitool.exe "$@" 2>&1 | tr -d '\r'; exit "${PIPESTATUS[0]}")
    rc=$?
}

has() { printf '%s\n' "$out" | grep -qF -- "$1"; }
has_re() { printf '%s\n' "$out" | grep -qE -- "$1"; }

prepare_prefix()
{
    want=$("$WINE" --version 2>/dev/null)
    if [ ! -f "$WINEPREFIX/system.reg" ] || [ "$(cat "$WINEPREFIX/.mapitool-stamp" 2>/dev/null)" != "$want" ]; then
        rm -rf "$WINEPREFIX"
        mkdir -p "$WINEPREFIX"
        "$WINE" wineboot -i >/dev/null 2>&1
        "$WINESERVER" -w
        echo "$want" >"$WINEPREFIX/.mapitool-stamp"
    fi
}

# MAPITOOL_INSTALL_FROM: a directory holding both DLLs, instead of the tree's
install_tool()
{
    run install ${MAPITOOL_INSTALL_FROM:+"$MAPITOOL_INSTALL_FROM"}
    [ $rc -eq 0 ] || echo "mapitool install failed: $out"
}

# a copy of a sample PST in the unit's temp dir; prints its path
sample_copy()
{
    cp "$data/$1" "$tmp/$1" && chmod u+w "$tmp/$1" && echo "$tmp/$1"
}

# new_profile NAME PST: a profile whose PST service points at PST
new_profile()
{
    run profiles delete "$1"
    run profiles create "$1" --pst "$2"
}

readpst_counts()
{
    rm -rf "$tmp/readpst" && mkdir -p "$tmp/readpst"
    readpst -o "$tmp/readpst" -D "$1" 2>&1
}

unit_usage()
{
    run --help
    ok $LINENO $rc "--help exit code $rc"
    for cmd in install "profiles list" "profiles create" "profiles delete" "profiles default" stores folders \
               "folders create" "folders delete" "messages list" "messages show" "messages import" \
               "messages export" "messages delete" "messages move" "check FILE" logoff-trace; do
        has "$cmd"
        ok $LINENO $? "--help does not mention '$cmd'"
    done
    run
    [ $rc -eq 2 ]
    ok $LINENO $? "no command: exit code $rc, expected 2"
    run frobnicate
    [ $rc -eq 2 ] && has "unknown command frobnicate"
    ok $LINENO $? "unknown command: exit code $rc, output: $out"
    run messages list
    [ $rc -eq 2 ] && has "usage: mapitool messages"
    ok $LINENO $? "messages without a folder: exit code $rc, output: $out"
    run stores --no-such-option
    [ $rc -eq 2 ]
    ok $LINENO $? "unknown option: exit code $rc"
}

unit_install()
{
    run install ${MAPITOOL_INSTALL_FROM:+"$MAPITOOL_INSTALL_FROM"}
    ok $LINENO $rc "install exit code $rc: $out"
    has "registered winemapix.dll"
    ok $LINENO $? "winemapix not registered: $out"
    has "registered winepst.dll"
    ok $LINENO $? "winepst not registered: $out"
    has_re 'DLLPathEx = .*winemapix\.dll'
    ok $LINENO $? "DLLPathEx does not point at winemapix: $out"
    has "MSUPST MS"
    ok $LINENO $? "mapisvc.inf lacks the MSUPST MS service: $out"
    # what install printed is what the registry holds
    key=$("$WINE" reg query 'HKLM\Software\Clients\Mail' 2>/dev/null | tr -d '\r' | sed -n 's/.*(Default)[ ]*REG_SZ[ ]*//p;s/^ *@ *REG_SZ *//p' | head -n 1)
    [ -n "$key" ] && "$WINE" reg query "HKLM\\Software\\Clients\\Mail\\$key" /v DLLPathEx 2>/dev/null | grep -qi winemapix
    ok $LINENO $? "registry: default mail client '$key' has no winemapix DLLPathEx"
}

unit_mime()
{
    run mime "$samples/01-welcome.eml" "$samples/02-notes.eml" "$samples/03-report.eml"
    ok $LINENO $rc "mime exit code $rc: $out"
    has "PR_SUBJECT_W: Welcome to the PST demo"
    ok $LINENO $? "subject of 01-welcome.eml: $out"
    has "PR_SENDER_EMAIL_ADDRESS_W: alice@example.org"
    ok $LINENO $? "sender of 01-welcome.eml: $out"
    has "PR_CLIENT_SUBMIT_TIME: 2024-01-02 10:00:00 UTC"
    ok $LINENO $? "date of 01-welcome.eml: $out"
    # +0100 and -0500 are converted to UTC
    has "PR_CLIENT_SUBMIT_TIME: 2024-01-03 13:30:00 UTC" && has "PR_CLIENT_SUBMIT_TIME: 2024-01-04 13:15:00 UTC"
    ok $LINENO $? "time zones not applied: $out"
    has 'recipient 2: MAPI_TO "" <dave@example.com>' && has 'recipient 3: MAPI_CC "Bob Example" <bob@example.org>'
    ok $LINENO $? "recipients of 02-notes.eml: $out"
    # quoted-printable UTF-8 decoded by inetcomm, converted by charset
    has "Notes from the café meeting:"
    ok $LINENO $? "quoted-printable UTF-8 body: $out"
    size=$(sed -n '/^Content-Transfer-Encoding: base64/,/^--sep42--/p' "$samples/03-report.eml" | sed '1,2d;$d' | tr -d '\r' | base64 -d | wc -c)
    has "attachment 1: \"report.csv\" text/csv, $size bytes"
    ok $LINENO $? "attachment of 03-report.eml ($size bytes expected): $out"
    run mime "$tmp/missing.eml"
    [ $rc -eq 1 ] && has_re 'HRESULT_FROM_WIN32\(2\)|HRESULT_FROM_WIN32\(3\)'
    ok $LINENO $? "missing file: exit code $rc, output: $out"
}

unit_profiles()
{
    install_tool
    pst=$(sample_copy pstsdk_sample1.pst)
    run profiles delete mt-profiles
    run profiles create mt-profiles --pst "$pst" --display "Sample One"
    ok $LINENO $rc "profiles create exit code $rc: $out"
    has 'created profile "mt-profiles"' && has "added service MSUPST MS" && has "configured PR_PST_PATH_W"
    ok $LINENO $? "profiles create output: $out"
    run profiles list
    has "  mt-profiles"
    ok $LINENO $? "new profile not listed: $out"
    run profiles default mt-profiles
    ok $LINENO $rc "profiles default exit code $rc: $out"
    run profiles list
    has "* mt-profiles"
    ok $LINENO $? "default profile not marked: $out"
    run profiles show mt-profiles
    has 'MSUPST MS "Sample One"'
    ok $LINENO $? "service not shown: $out"
    has_re 'PR_PST_PATH_W = .*pstsdk_sample1\.pst'
    ok $LINENO $? "PST path not in the profile section: $out"
    run profiles create mt-profiles
    [ $rc -eq 1 ] && has "MAPI_E_"
    ok $LINENO $? "creating a profile twice: exit code $rc, output: $out"
    run profiles delete mt-profiles
    ok $LINENO $rc "profiles delete exit code $rc: $out"
    run profiles list
    ! has "mt-profiles"
    ok $LINENO $? "deleted profile still listed: $out"
    run profiles delete mt-profiles
    [ $rc -eq 1 ] && has "MAPI_E_NOT_FOUND (0x8004010f)"
    ok $LINENO $? "deleting a missing profile: exit code $rc, output: $out"
    # a service that does not exist leaves no half-made profile
    run profiles create "mt-bad" --pst "$pst"
    run profiles delete mt-bad
}

unit_stores()
{
    install_tool
    pst=$(sample_copy pstsdk_sample1.pst)
    new_profile mt-stores "$pst"
    run stores --profile mt-stores
    ok $LINENO $rc "stores exit code $rc: $out"
    has_re '^1\* Personal Folders'
    ok $LINENO $? "the PST store is not listed as the default store: $out"
    run stores --profile mt-no-such-profile
    [ $rc -eq 1 ] && has "MAPILogonEx" && has "MAPI_E_"
    ok $LINENO $? "logon to a missing profile: exit code $rc, output: $out"
    run profiles delete mt-stores
}

unit_folders()
{
    install_tool
    pst=$(sample_copy pstsdk_sample1.pst)
    new_profile mt-folders "$pst"
    expected=$(readpst_counts "$pst" | sed -n 's/^Processing Folder "\(.*\)"$/\1/p')
    run folders --profile mt-folders
    ok $LINENO $rc "folders exit code $rc: $out"
    while read -r name; do
        [ -n "$name" ] || continue
        has_re "^ +$name  \\("
        ok $LINENO $? "readpst's folder '$name' missing from the tree: $out"
    done <<EOF_NAMES
$expected
EOF_NAMES
    count=$(readpst_counts "$pst" | sed -n 's/^.*"Sample1" - \([0-9]*\) items done.*$/\1/p')
    has_re "^ +Sample1  \\($count message"
    ok $LINENO $? "Sample1 should hold $count message(s) as readpst says: $out"
    run folders --profile mt-folders --root
    ok $LINENO $rc "folders --root exit code $rc: $out"
    has "[root]"
    ok $LINENO $? "root tree header missing: $out"
    run profiles delete mt-folders
}

unit_messages()
{
    install_tool
    pst=$(sample_copy pstsdk_sample1.pst)
    new_profile mt-messages "$pst"
    subject=$(lspst "$pst" | sed -n 's/^Email.*Subject: //p' | head -n 1)
    sender=$(lspst "$pst" | sed -n 's/^Email\tFrom: \(.*\)\tSubject:.*/\1/p' | head -n 1)
    run messages list Sample1 --profile mt-messages
    ok $LINENO $rc "messages list exit code $rc: $out"
    has "$subject" && has "$sender"
    ok $LINENO $? "lspst's message '$subject' from '$sender' not listed: $out"
    has "1 message"
    ok $LINENO $? "message count: $out"
    run messages list Sample1 --profile mt-messages --filter-subject "SAMPLE MESS"
    has "$subject" && has "1 message"
    ok $LINENO $? "--filter-subject (substring, any case) lost the message: $out"
    run messages list Sample1 --profile mt-messages --filter-subject "no such subject"
    has "0 messages"
    ok $LINENO $? "--filter-subject kept a message it should drop: $out"
    run messages list Sample1 --profile mt-messages --filter-sender "${sender%% *}"
    has "1 message"
    ok $LINENO $? "--filter-sender lost the message: $out"
    run messages list Sample1 --profile mt-messages --sort -date
    ok $LINENO $rc "--sort -date exit code $rc: $out"
    run messages list Sample1 --profile mt-messages --sort colour
    [ $rc -eq 1 ] && has "MAPI_E_INVALID_PARAMETER"
    ok $LINENO $? "bad sort key: exit code $rc, output: $out"
    run messages show Sample1 1 --profile mt-messages
    ok $LINENO $rc "messages show exit code $rc: $out"
    has "PR_SUBJECT_W" && has "$subject"
    ok $LINENO $? "show lacks the subject: $out"
    has "recipient: " && has "attachment: "
    ok $LINENO $? "show lacks the recipient or attachment table: $out"
    readpst -o "$tmp" -D -e "$pst" >/dev/null 2>&1
    line=$(find "$tmp/Sample1" -type f 2>/dev/null | head -n 1 | xargs -r sed -n '/^$/,$p' | tr -d '\r' | grep -m1 '[a-z]')
    [ -z "$line" ] || has "$line"
    ok $LINENO $? "body line '$line' (from readpst) not shown: $out"
    run messages show Sample1 7 --profile mt-messages
    [ $rc -eq 1 ] && has "MAPI_E_NOT_FOUND"
    ok $LINENO $? "missing message number: exit code $rc, output: $out"
    run messages list "No such folder" --profile mt-messages
    [ $rc -eq 1 ] && has 'no folder "No such folder"'
    ok $LINENO $? "missing folder: exit code $rc, output: $out"
    run profiles delete mt-messages
}

unit_export()
{
    install_tool
    pst=$(sample_copy pstsdk_sample1.pst)
    new_profile mt-export "$pst"
    subject=$(lspst "$pst" | sed -n 's/^Email.*Subject: //p' | head -n 1)
    run messages export Sample1 1 "$tmp/out.eml" --profile mt-export
    ok $LINENO $rc "export exit code $rc: $out"
    grep -q "^Subject: $subject" "$tmp/out.eml" 2>/dev/null
    ok $LINENO $? "exported file lacks 'Subject: $subject'"
    run mime "$tmp/out.eml"
    has "PR_SUBJECT_W: $subject"
    ok $LINENO $? "inetcomm cannot read the exported file back: $out"
    run profiles delete mt-export
}

# Attachment names are the PST author's: path separators, drive letters,
# device names, streams, empty, very long and duplicate names.  Exporting
# writes the chosen file and nothing else, and names every attachment in it
# with a plain, unique file name (a mail client saving them gets no path).
unit_export_names()
{
    install_tool
    pst=$(sample_copy pstsdk_sample1.pst)
    new_profile mt-names "$pst"
    long=$(printf 'x%.0s' $(seq 1 300))
    {
        printf 'From: Eve <eve@example.com>\r\nTo: Carol <carol@example.net>\r\nSubject: Hostile names\r\n'
        printf 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b0"\r\n\r\n'
        printf -- '--b0\r\nContent-Type: text/plain\r\n\r\nbody\r\n'
        for name in '..\\..\\evil1.txt' '../../evil2.txt' '/tmp/evil3.txt' 'C:\\windows\\evil4.txt' 'C:evil5.txt' \
                    'CON' 'nul.txt' 'LPT1 .log' 'a.txt:evil6' '...' "$long.txt" 'dup.txt' 'DUP.txt' ' .. evil7'; do
            printf -- '--b0\r\nContent-Type: application/octet-stream\r\n'
            printf 'Content-Disposition: attachment; filename="%s"\r\n' "$name"
            printf 'Content-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n'
        done
        printf -- '--b0--\r\n'
    } >"$tmp/names.eml"
    run mime "$tmp/names.eml"
    has "evil2.txt" && has "dup.txt"
    ok $LINENO $? "inetcomm does not see the attachment names: $out"
    stored=$(printf '%s\n' "$out" | grep -c 'evil\|dup\|CON\|nul\|LPT\|xxxx\|\.\.\.')
    run folders create "mt names" --profile mt-names
    ok $LINENO $rc "folders create: $out"
    run messages import "mt names" "$tmp/names.eml" --profile mt-names
    ok $LINENO $rc "import: $out"

    mkdir -p "$tmp/export/dir"
    touch "$tmp/marker"
    sleep 1
    run messages export "mt names" 1 "$tmp/export/dir/out.eml" --profile mt-names
    ok $LINENO $rc "export exit code $rc: $out"
    # nothing new anywhere but the chosen file: not in the temp tree, the
    # tool's directory (its working directory), the tree, or drive C:
    written=$(find "$tmp" -newer "$tmp/marker" -type f)
    [ "$written" = "$tmp/export/dir/out.eml" ]
    ok $LINENO $? "export wrote other files: $written"
    strays=$(find "$top" "$top/.." -maxdepth 3 -newer "$tmp/marker" -name '*evil*' 2>/dev/null;
             find "$WINEPREFIX/drive_c" /tmp -maxdepth 3 -newer "$tmp/marker" -name '*evil*' 2>/dev/null)
    [ -z "$strays" ]
    ok $LINENO $? "files named after attachments appeared: $strays"

    names=$(tr -d '\r' <"$tmp/export/dir/out.eml" | sed -n 's/^Content-Disposition: attachment; filename="\(.*\)"$/\1/p')
    [ "$(printf '%s\n' "$names" | grep -c .)" -eq 14 ]
    ok $LINENO $? "expected 14 attachments in the export ($stored names seen by mime): $names"
    bad=$(printf '%s\n' "$names" | grep -E '[/\\:"<>|?*]|^[. ]|[. ]$|^$|.{201}')
    [ -z "$bad" ]
    ok $LINENO $? "unsafe attachment names in the export: $bad"
    bad=$(printf '%s\n' "$names" | grep -iE '^(con|prn|aux|nul|com[0-9]|lpt[0-9]) *(\.|$)')
    [ -z "$bad" ]
    ok $LINENO $? "device names in the export: $bad"
    bad=$(printf '%s\n' "$names" | tr 'A-Z' 'a-z' | sort | uniq -d)
    [ -z "$bad" ]
    ok $LINENO $? "duplicate attachment names in the export: $bad"
    printf '%s\n' "$names" | grep -qx 'evil2.txt' && printf '%s\n' "$names" | grep -qx 'evil4.txt' &&
        printf '%s\n' "$names" | grep -qx 'evil5.txt' && printf '%s\n' "$names" | grep -qx 'a.txt' &&
        printf '%s\n' "$names" | grep -q '^x*\.txt$'
    ok $LINENO $? "the plain part of each name is kept, with its extension: $names"
    run profiles delete mt-names
}

# Everything that writes: it works once winepst can write, and until then
# it must fail cleanly, naming the MAPI error, with a non-zero exit code.
# Either way the PST must stay readable by readpst.
unit_writes()
{
    install_tool
    pst=$(sample_copy pstsdk_sample1.pst)
    new_profile mt-write "$pst"
    before=$(readpst_counts "$pst" | sed -n 's/^.*"Sample1" - \([0-9]*\) items done.*$/\1/p')

    run messages import Sample1 "$samples/01-welcome.eml" "$samples/03-report.eml" --profile mt-write
    ok $LINENO $rc "import exit code $rc: $out"
    has "imported" && has 'Report with attachment'
    ok $LINENO $? "import output: $out"
    after=$(readpst_counts "$pst" | sed -n 's/^.*"Sample1" - \([0-9]*\) items done.*$/\1/p')
    [ "$after" = $((before + 2)) ]
    ok $LINENO $? "readpst counts $after messages in Sample1 after importing 2 into $before"

    run folders create "mt new folder" --profile mt-write
    ok $LINENO $rc "folders create exit code $rc: $out"
    readpst_counts "$pst" | grep -q 'Processing Folder "mt new folder"'
    ok $LINENO $? "readpst does not see the created folder"

    # move the newest message into the new folder, then delete it there
    run messages move Sample1 1 "mt new folder" --profile mt-write
    ok $LINENO $rc "messages move exit code $rc: $out"
    counts=$(readpst_counts "$pst")
    printf '%s\n' "$counts" | grep -q '"mt new folder" - 1 items done'
    ok $LINENO $? "readpst does not see the moved message: $counts"
    run messages delete "mt new folder" 1 --profile mt-write
    ok $LINENO $rc "messages delete exit code $rc: $out"
    counts=$(readpst_counts "$pst")
    printf '%s\n' "$counts" | grep -q '"mt new folder" - 1 items done'
    [ $? -ne 0 ]
    ok $LINENO $? "readpst still sees the deleted message: $counts"
    after=$(printf '%s\n' "$counts" | sed -n 's/^.*"Sample1" - \([0-9]*\) items done.*$/\1/p')
    [ "$after" = $((before + 1)) ]
    ok $LINENO $? "readpst counts $after messages in Sample1, expected $((before + 1))"

    run folders delete "mt new folder" --profile mt-write
    ok $LINENO $rc "folders delete exit code $rc: $out"
    readpst_counts "$pst" | grep -q 'Processing Folder "mt new folder"'
    [ $? -ne 0 ]
    ok $LINENO $? "readpst still sees the deleted folder"

    # bad requests name the MAPI error and change nothing
    run messages delete Sample1 99 --profile mt-write
    [ $rc -eq 1 ] && has_re 'MAPI_E_(NOT_FOUND|NO_ACCESS)'
    ok $LINENO $? "deleting a missing message number: exit code $rc, output: $out"
    run messages move Sample1 1 "No such folder" --profile mt-write
    [ $rc -eq 1 ] && has "MAPI_E_"
    ok $LINENO $? "moving to a missing folder: exit code $rc, output: $out"
    run check "$pst" --quiet
    has_re '^[0-9]+ findings?$'
    ok $LINENO $? "check output after the writes: $out"
    run profiles delete mt-write
}

unit_check()
{
    install_tool
    pst=$(sample_copy javalibpst_dist-list.pst)
    run check "$pst" --quiet
    has "checking " && has_re '^[0-9]+ findings?$'
    ok $LINENO $? "check output: $out"
    findings=$(printf '%s\n' "$out" | grep -c '^finding ')
    total=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) findings*$/\1/p')
    [ "$findings" = "$total" ]
    ok $LINENO $? "printed $findings findings but counted $total"
    # the exit code says whether anything was found
    if [ "$total" = 0 ]; then [ $rc -eq 0 ]; else [ $rc -eq 1 ]; fi
    ok $LINENO $? "exit code $rc with $total findings"
    # progress goes to stderr in 10% steps
    run check "$pst"
    has "check: 100%"
    ok $LINENO $? "no progress output: $out"
    # damage a B-tree page: the checker must say so
    size=$(stat -c %s "$pst")
    printf '\xde\xad\xbe\xef\xde\xad\xbe\xef' | dd of="$pst" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
    run check "$pst" --quiet
    [ $rc -eq 1 ]
    ok $LINENO $? "damaged file: exit code $rc, output: $out"
    run check "$tmp/no-such.pst"
    [ $rc -eq 1 ] && has_re 'checking .*: MAPI_E_[A-Z_]+ \(0x8'
    ok $LINENO $? "missing file: exit code $rc, output: $out"
    printf 'not a pst' >"$tmp/text.pst"
    run check "$tmp/text.pst"
    [ $rc -eq 1 ] && has "MAPI_E_"
    ok $LINENO $? "not a PST: exit code $rc, output: $out"
}

unit_logoff()
{
    install_tool
    pst=$(sample_copy pstsdk_sample1.pst)
    new_profile mt-logoff "$pst"
    run logoff-trace --profile mt-logoff
    ok $LINENO $rc "logoff-trace exit code $rc: $out"
    has_re 'IMsgStore::StoreLogoff \(LOGOFF_NO_WAIT\) +-> S_OK'
    ok $LINENO $? "StoreLogoff: $out"
    has "flags out of StoreLogoff"
    ok $LINENO $? "StoreLogoff flags not shown: $out"
    has_re 'IMAPISession::Logoff +-> S_OK'
    ok $LINENO $? "session Logoff: $out"
    has "holding: store, a folder, a table, a message, a stream"
    ok $LINENO $? "the trace does not hold every kind of object: $out"
    # after the session logoff every held object is dead
    after=$(printf '%s\n' "$out" | sed -n '/^after IMAPISession::Logoff/,/^releasing/p')
    for obj in folder table message; do
        printf '%s\n' "$after" | grep -qE "^  $obj .*-> MAPI_E_INVALID_OBJECT \(0x80040108\)"
        ok $LINENO $? "the held $obj does not answer MAPI_E_INVALID_OBJECT after Logoff: $after"
    done
    # IStream's own code for a stream whose storage is gone (winepst's choice)
    printf '%s\n' "$after" | grep -qE '^  stream .*-> (STG_E_REVERTED \(0x80030102\)|MAPI_E_INVALID_OBJECT)'
    ok $LINENO $? "the held stream still works after Logoff: $after"
    before=$(printf '%s\n' "$out" | sed -n '/^before logoff/,/^teardown/p')
    [ "$(printf '%s\n' "$before" | grep -c -- '-> S_OK')" -eq 5 ]
    ok $LINENO $? "before logoff every held object must answer S_OK: $before"
    has "MAPIUninitialize done"
    ok $LINENO $? "the trace did not finish: $out"
    # the same profile logs on again afterwards
    run stores --profile mt-logoff
    ok $LINENO $rc "logon after the trace: $out"
    run profiles delete mt-logoff
}

if [ "${1:-}" = "--list" ] || [ $# -eq 0 ]; then
    echo "Valid test names:"
    for unit in $units; do echo "    $unit"; done
    exit 0
fi

unit=$1
case " $units " in
    *" $unit "*) ;;
    *) echo "mapitool.sh: no test unit '$unit'"; exit 1 ;;
esac
if [ ! -f "$tool" ]; then
    ok $LINENO 1 "$tool is not built"
else
    prepare_prefix
    tmp=$(mktemp -d)
    "unit_$unit"
    rm -rf "$tmp"
fi
total=$((successes + failures))
word=failures
[ $failures -eq 1 ] && word=failure
printf '%04x:%s: %d tests executed (0 marked as todo, 0 as flaky, %d %s), 0 skipped.\n' \
    $$ "$unit" "$total" "$failures" "$word"
exit $failures
