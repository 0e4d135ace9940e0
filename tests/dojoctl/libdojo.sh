#!/bin/bash
# SPDX-License-Identifier: MIT
#
# libdojo's API tests (libdojo/tests/test_libdojo) against two emulated
# DIPs: open by every kind of name, the query ioctl agreeing with sysfs,
# one handle used from several threads. The same program's run against a
# fake sysfs tree needs no kernel: 'make -C libdojo check' does it.

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=${TOP:-$(cd "$HERE/../.." && pwd)}
T=$TOP/libdojo/tests
# shellcheck source=../lib.sh
. "$TOP/tests/lib.sh"

if [ ! -x "$T/test_libdojo" ]; then
	echo "Bail out! $T/test_libdojo not built (make -C $TOP/libdojo)"
	exit 1
fi

dojo_load 2 || { echo "Bail out! dojo_load 2 failed"; exit 1; }
wait_for_accel 2 || { echo "Bail out! no accel nodes"; exit 1; }
"$T/test_libdojo" real 2
