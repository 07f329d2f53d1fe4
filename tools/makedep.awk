# Prints the value of one variable of a makedep-form Makefile.in.
# Usage: awk -v name=SOURCES -f tools/makedep.awk dir/Makefile.in
# Continuation lines are joined and comments dropped, as make would.

{
    line = $0
    sub(/#.*/, "", line)
    if (pending != "")
    {
        line = pending " " line
        pending = ""
    }
    if (line ~ /\\[ \t]*$/)
    {
        sub(/\\[ \t]*$/, "", line)
        pending = line
        next
    }
    if (match(line, "^[ \t]*" name "[ \t]*=") )
    {
        value = substr(line, RLENGTH + 1)
        gsub(/[ \t]+/, " ", value)
        sub(/^ /, "", value)
        sub(/ $/, "", value)
        print value
    }
}
