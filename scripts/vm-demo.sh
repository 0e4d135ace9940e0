#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the test VM (make demo): loads the driver with two emulated
# DIPs, shows what dojoctl reports about them, and moves data through each
# (host->HBM->host, checked by read-back and by the card's CRC32).

set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../tests/lib.sh
. "$TOP/tests/lib.sh"
cd "$TOP" || exit 1

run()
{
	echo
	echo "\$ $*"
	"$@"
}

echo "Loading dojo with two emulated DIPs (dojo_emu devices=2)..."
dojo_load 2 || fail "could not load the modules"
wait_for_accel 2 || fail "no accel nodes"
run ls -l /dev/accel/

status=0
run tools/dojoctl list || status=1
for dev in /dev/accel/accel*; do
	run tools/dojoctl info "${dev##*/}" || status=1
done
for dev in /dev/accel/accel*; do
	run tools/dojo-bench --verify=16M -d "${dev##*/}" || status=1
done

echo
dojo_unload || status=1
# Anything the kernel complained about during the demo.
if dmesg | grep -E 'WARNING:|BUG|Oops|KFENCE|Call Trace'; then
	status=1
fi
exit $status
