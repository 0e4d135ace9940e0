#!/bin/bash
# SPDX-License-Identifier: MIT
#
# dojoctl's documentation agrees with the program: every man page renders
# with man -l without a warning, every command and exit code is in the
# man page and docs/dojoctl.md, every --query field is documented, and the
# bash completion completes commands and fields.

. "$(dirname "$0")/../../tests/dojoctl/tap.inc"
need_dojoctl

D=$DOJOCTL
MAN=$TOP/tools/man
DOC=$TOP/docs/dojoctl.md

command -v man > /dev/null || skip_all "man not installed"

for page in "$MAN"/*.8; do
	check "man -l ${page##*/} renders" sh -c \
		"MANWIDTH=80 man --warnings -l '$page' 2>'$WORK/man.err' | grep -q '^NAME' && ! [ -s '$WORK/man.err' ]"
done
check_rc 0 "man dojoctl renders" env MANWIDTH=80 man -l "$MAN/dojoctl.8"
check "  has the exit status section" grep -q '^EXIT STATUS' "$WORK/out"

cmds=$("$D" --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }')
check "--help lists 14 commands" test "$(echo "$cmds" | wc -w)" -eq 14
for c in $cmds; do
	check "  $c in dojoctl(8) and docs" sh -c \
		"grep -q '^\.BR* \"*$c' '$MAN/dojoctl.8' && grep -q 'dojoctl $c' '$DOC'"
done
codes=$(sed -n 's/.*DOJOCTL_EXIT_[A-Z]* = \([0-9]*\),.*/\1/p' "$TOP/tools/dojoctl.h")
check "12 exit codes" test "$(echo "$codes" | wc -w)" -eq 12
for n in $codes; do
	check "  exit code $n in docs, --help and the man page" sh -c \
		"grep -q '^| $n |' '$DOC' && '$D' --help | grep -q '^ *$n  ' && grep -qx '\.B $n' '$MAN/dojoctl.8'"
done
for f in $("$D" --help-query | awk '/^  [a-z]/ { print $1 }'); do
	base=${f%.max}
	base=${base%.crit}
	check "  field $f documented" grep -q "\`$base\`\|\`${base%.*}\.\|$base" "$DOC"
done

if command -v bash > /dev/null; then
	check_rc 0 "bash completion completes commands" bash -c \
		". '$TOP/tools/completion/dojoctl'; PATH='${D%/*}':\$PATH
		COMP_WORDS=(dojoctl he); COMP_CWORD=1; _dojoctl; echo \"\${COMPREPLY[*]}\""
	check "  health and help" test "$OUT" = "health help"
	check_rc 0 "bash completion completes --query fields" bash -c \
		". '$TOP/tools/completion/dojoctl'; PATH='${D%/*}':\$PATH
		COMP_WORDS=(dojoctl --query=index,hbm.u); COMP_CWORD=1; _dojoctl 2>/dev/null
		echo \"\${COMPREPLY[*]}\""
	check "  index,hbm.used" test "$OUT" = "index,hbm.used"
	check_rc 0 "bash completion completes link show and topo --tree" bash -c \
		". '$TOP/tools/completion/dojoctl'; PATH='${D%/*}':\$PATH
		COMP_WORDS=(dojoctl link s); COMP_CWORD=2; _dojoctl; echo \"\${COMPREPLY[*]}\"
		COMP_WORDS=(dojoctl topo --t); COMP_CWORD=2; _dojoctl; echo \"\${COMPREPLY[*]}\""
	check "  show, --tree" test "$OUT" = "show
--tree"
fi

finish
