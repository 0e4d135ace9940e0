#!/bin/bash
# SPDX-License-Identifier: MIT
#
# libdojo's ABI, checked three ways (make -C libdojo check): the symbols the
# built library exports (nm -D --defined-only), the symbols libdojo.map
# lists, and the functions dojo.h and dojo_dma.h declare must be the same
# set; every exported symbol must carry the map's version node; the
# library's soname must be the one the Makefile names.  Any difference
# fails, naming the symbols.
set -u
HERE=$(cd "$(dirname "$0")/.." && pwd)
cd "$HERE" || exit 1
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
n=0 fail=0

result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		fail=$((fail + 1))
		echo "not ok $n - $2"
		sed 's/^/#   /' "$W/diff"
	fi
}

lib=$(readlink -f libdojo.so)
soname=$(make -s --no-print-directory -f Makefile -f - print-soname <<<'print-soname: ; @echo $(SONAME)')

echo "TAP version 13"
nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' >"$W/nm.raw"
sed 's/@.*//' "$W/nm.raw" | sort -u >"$W/exported"
# the version nodes themselves appear as absolute symbols (type A): not API
nm -D --defined-only "$lib" | awk '$2 == "A" { print $3 }' | sed 's/@.*//' |
	sort -u >"$W/nodes"

# libdojo.map: the names between "global:" and "local:", comments removed
sed -e 's|/\*.*\*/||g' -e '/\/\*/,/\*\//d' libdojo.map |
	awk '/global:/ { g = 1; next } /local:/ || /^}/ { g = 0 } g' |
	tr -d ' \t;' | grep -v '^$' | sort -u >"$W/map"
sed -e 's|/\*.*\*/||g' -e '/\/\*/,/\*\//d' libdojo.map |
	grep -o '^[A-Z][A-Z0-9_.]* *{' | tr -d ' {' | sort -u >"$W/mapnodes"

# the headers: every function they declare (after the preprocessor, so
# comments and #if'd-out text do not count)
${CC:-cc} -E -P -I. -I../uapi $(pkg-config --cflags libdrm) dojo.h >"$W/h.i"
python3 - "$W/h.i" >"$W/declared" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
# drop the bodies of static inline functions, structs and enums
depth, flat = 0, []
for ch in text:
    if ch == '{':
        depth += 1
        flat.append(';' if depth == 1 else '')
    elif ch == '}':
        depth -= 1
    elif depth == 0:
        flat.append(ch)
flat = ''.join(flat)
names = set()
for decl in flat.split(';'):
    if re.search(r'\bstatic\b', decl) or re.search(r'\btypedef\b', decl):
        continue
    m = re.search(r'\b(dojo_\w+)\s*\(', decl)
    if m:
        names.add(m.group(1))
print('\n'.join(sorted(names)))
PY

grep '[*?]' "$W/map" >"$W/diff"
[ -s "$W/map" ] && [ ! -s "$W/diff" ]
result $? "libdojo.map lists symbols exactly (no wildcard in global:)"

diff -u "$W/map" "$W/exported" >"$W/diff"
result $? "the library exports exactly what libdojo.map lists ($(wc -l <"$W/map") symbols)"

diff -u "$W/declared" "$W/exported" >"$W/diff"
result $? "the library exports exactly what dojo.h and dojo_dma.h declare"

grep -v "@@\(LIBDOJO_[0-9.]*\)$" <(nm -D --defined-only "$lib" |
	awk '$2 ~ /^[TDBRVW]$/ { print $3 }') >"$W/diff"
[ ! -s "$W/diff" ]
result $? "every exported symbol has a LIBDOJO_ version node"

diff -u "$W/mapnodes" "$W/nodes" >"$W/diff"
result $? "the version nodes are libdojo.map's: $(tr '\n' ' ' <"$W/nodes")"

got=$(objdump -p "$lib" | awk '$1 == "SONAME" { print $2 }')
echo "soname $got, want $soname" >"$W/diff"
[ "$got" = "$soname" ]
result $? "soname is $soname"

echo "1..$n"
echo "$((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
