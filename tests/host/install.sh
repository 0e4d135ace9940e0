#!/bin/bash
# SPDX-License-Identifier: MIT
#
# 'make install' into a scratch DESTDIR: the library (with its soname
# links, headers and pkg-config file), dojoctl and dojo-bench, the udev
# rule and the modprobe.d example land where PREFIX and SYSCONFDIR say,
# nothing else is installed, and a program builds against the installed
# tree with pkg-config and runs.  Runs on the build host, no root needed.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
n=0 fail=0

check() {
	local desc=$1
	shift
	n=$((n + 1))
	if "$@" >"$D/log" 2>&1; then
		echo "ok $n - $desc"
	else
		fail=$((fail + 1))
		echo "not ok $n - $desc"
		sed 's/^/#   /' "$D/log" | tail -20
	fi
}

echo "TAP version 13"
R=$D/root
check "make install DESTDIR=... PREFIX=/usr" \
	make -s --no-print-directory -C "$TOP" install DESTDIR="$R" PREFIX=/usr

cat >"$D/want" <<'LIST'
/etc/modprobe.d/dojo.conf.example
/etc/udev/rules.d/70-dojo.rules
/usr/bin/dojo-bench
/usr/bin/dojoctl
/usr/include/dojo/dojo.h
/usr/include/dojo/dojo_accel.h
/usr/include/dojo/dojo_dma.h
/usr/lib/libdojo.so
/usr/lib/libdojo.so.1
/usr/lib/libdojo.so.1.2.0
/usr/lib/pkgconfig/dojo.pc
/usr/share/bash-completion/completions/dojoctl
LIST
# Every manual page of the tree, in section 8.
for page in "$TOP"/tools/man/*.8; do
	echo "/usr/share/man/man8/${page##*/}"
done >>"$D/want"
sort -o "$D/want" "$D/want"
(cd "$R" && find . ! -type d | sed 's/^\.//' | sort) >"$D/got"
check "exactly the expected files" diff -u "$D/want" "$D/got"
check "libdojo.so -> libdojo.so.1 -> libdojo.so.1.2.0" \
	test "$(readlink "$R/usr/lib/libdojo.so")" = libdojo.so.1 -a \
	"$(readlink "$R/usr/lib/libdojo.so.1")" = libdojo.so.1.2.0
check "the rule and the example are 0644" \
	test "$(stat -c %a "$R/etc/udev/rules.d/70-dojo.rules" \
		"$R/etc/modprobe.d/dojo.conf.example" | sort -u)" = 644
check "the installed dojoctl does not look in the build tree" \
	sh -c "! readelf -d '$R/usr/bin/dojoctl' | grep -q 'RUNPATH\|RPATH'"
check "dojo.pc names PREFIX" grep -qx 'prefix=/usr' "$R/usr/lib/pkgconfig/dojo.pc"

cat >"$D/prog.c" <<'C'
#include <stdio.h>
#include <dojo.h>
int main(void)
{
	struct dojo_dev_info **list;
	int count;

	if (dojo_enumerate("/nonexistent", &list, &count) || count)
		return 1;
	puts(dojo_lib_version());
	return 0;
}
C
# the installed dojo.pc, its paths moved into DESTDIR (a pkg-config sysroot
# would move libdrm's too)
mkdir -p "$D/pc"
sed "s|=/usr|=$R/usr|" "$R/usr/lib/pkgconfig/dojo.pc" >"$D/pc/dojo.pc"
export PKG_CONFIG_PATH=$D/pc
check "a program builds with pkg-config --cflags --libs dojo" \
	sh -c "cc -o '$D/prog' '$D/prog.c' \$(pkg-config --cflags --libs dojo)"
check "and runs against the installed library" \
	sh -c "test \"\$(LD_LIBRARY_PATH='$R/usr/lib' '$D/prog')\" = '$(cat "$TOP/VERSION")'"
check "the installed dojoctl runs" \
	env LD_LIBRARY_PATH="$R/usr/lib" "$R/usr/bin/dojoctl" --version

D2=$D/root2
check "PREFIX=/opt/dojo SYSCONFDIR=/opt/dojo/etc" \
	make -s --no-print-directory -C "$TOP" install DESTDIR="$D2" \
		PREFIX=/opt/dojo SYSCONFDIR=/opt/dojo/etc
check "  puts everything below /opt/dojo" \
	sh -c "test -z \"\$(cd '$D2' && find . ! -type d ! -path './opt/dojo/*')\" &&
		test -f '$D2/opt/dojo/etc/udev/rules.d/70-dojo.rules' &&
		test -f '$D2/opt/dojo/lib/libdojo.so.1'"

echo "1..$n"
echo "$((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
