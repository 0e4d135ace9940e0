#!/bin/bash
# SPDX-License-Identifier: MIT
#
# One version for the project: VERSION is what libdojo (dojo_lib_version(),
# pkg-config), dojoctl --version, dojo-bench --version, dkms.conf and the
# driver's MODULE_VERSION say.  Runs on the build host after 'make'.
set -u
PATH=$PATH:/sbin:/usr/sbin
TOP=$(cd "$(dirname "$0")/../.." && pwd)
v=$(cat "$TOP/VERSION")
n=0 fail=0

check() {
	local desc=$1 got=$2 want=$3
	n=$((n + 1))
	if [ "$got" = "$want" ]; then
		echo "ok $n - $desc"
	else
		fail=$((fail + 1))
		echo "not ok $n - $desc: '$got', want '$want'"
	fi
}

echo "TAP version 13"
[[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]
check "VERSION is major.minor.patch" $? 0
check "dkms.conf PACKAGE_VERSION" \
	"$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$TOP/dkms.conf")" "$v"
check "dojoctl --version" "$("$TOP/tools/dojoctl" --version)" \
	"dojoctl $v (libdojo $v)"
check "dojo-bench --version" "$("$TOP/tools/dojo-bench" --version)" \
	"dojo-bench $v (libdojo $v)"
check "libdojo's pkg-config version" \
	"$(sed -n 's/^Version: //p' "$TOP/libdojo/dojo.pc")" "$v"
if [ -f "$TOP/driver/dojo.ko" ] && command -v modinfo >/dev/null; then
	check "dojo.ko MODULE_VERSION" "$(modinfo -F version "$TOP/driver/dojo.ko")" "$v"
else
	echo "ok $((n += 1)) - dojo.ko MODULE_VERSION # SKIP module not built"
fi
echo "1..$n"
echo "$((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
