#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# man_check.sh PLCTL MANPAGE [RENDERED]: the man page and "plctl -h" cannot
# drift.  RENDERED, when given, is MANPAGE as "groff -man -Tascii -P-cbou
# -rLL=2000n" prints it (a caller that renders it anyway saves a groff run).
#
# Every command synopsis of "plctl -h" (the global usage and each object's
# help, continuation lines joined) must be, word for word and in the same
# order, a synopsis of the man page (SYNOPSIS and each object's .SY lines,
# rendered by groff), and the other way round; so must the OBJECT := and
# OPTIONS := lines.  The man page's version (.TH) must be "plctl -V"'s.
# Prints a diff and exits 1 when they differ.  Needs no kernel: run by
# "make unit" and by selftests/manpage.sh.
set -u
plctl=${1:?usage: man_check.sh PLCTL MANPAGE}
man=${2:?usage: man_check.sh PLCTL MANPAGE}
rc=0

norm() { sed -E 's/[[:space:]]+/ /g; s/^ //; s/ $//'; }

# "plctl -h": one record per synopsis; a line that starts with "plctl",
# "Usage: plctl" or "WORD :=" starts one, any other line continues it.
help_records() {
	"$plctl" -h | awk '
		{ sub(/^Usage: /, "       ") }
		/^ *plctl / || /^ *[A-Z]+ :=/ { if (r != "") print r; r = $0; next }
		/^$/ { if (r != "") print r; r = ""; next }
		{ r = r " " $0 }
		END { if (r != "") print r }' |
		norm | grep -E '^(plctl |OBJECT :=|OPTIONS :=)'
}

# The man page, rendered without line breaks: its synopsis lines are those
# of SYNOPSIS and COMMANDS indented by exactly 7 columns (examples are
# indented further).
render() {
	if [ -n "${3:-}" ]; then
		cat "$3"
	else
		groff -man -Tascii -P-cbou -rLL=2000n "$man" 2>/dev/null
	fi
}
man_records() {
	render "$@" |
		awk '/^[A-Z]/ { s = ($0 == "SYNOPSIS" || $0 == "COMMANDS") }
		     s' |
		grep -E '^ {7}(plctl |OBJECT :=|OPTIONS :=)' | norm
}

h=$(help_records)
m=$(man_records "$@")
if [ -z "$h" ] || [ -z "$m" ]; then
	echo "man_check: no synopses read (plctl -h: ${#h} bytes, man page: ${#m} bytes)"
	exit 1
fi
if [ "$h" != "$m" ]; then
	echo "man_check: the man page's synopses differ from plctl -h (< plctl -h, > $man):"
	diff <(echo "$h") <(echo "$m")
	rc=1
fi

v=$("$plctl" -V)
mv=$(sed -n 's/^\.TH PLCTL 8 "[^"]*" "privlink \([^"]*\)".*/\1/p' "$man")
if [ "$v" != "plctl $mv" ]; then
	echo "man_check: plctl -V says \"$v\", the man page \"privlink $mv\""
	rc=1
fi
[ $rc = 0 ] && echo "man_check: $(echo "$h" | wc -l) synopses and the version agree"
exit $rc
