#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the test VM (make demo): loads the driver with four emulated
# DIPs, shows what dojoctl reports about them, moves data through each
# (host->HBM->host, checked by read-back and by the card's CRC32), cables
# their Z-plane ports to a Linux bridge (the switch) and runs a ring
# all-reduce of float32 vectors across the four over TTPoE, verified
# against the CPU's sum.

set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../tests/lib.sh
. "$TOP/tests/lib.sh"
# shellcheck source=../tests/kernel/zplane.inc
. "$TOP/tests/kernel/zplane.inc"
cd "$TOP" || exit 1

run()
{
	echo
	echo "\$ $*"
	"$@"
}

echo "Loading dojo with four emulated DIPs (dojo_emu devices=4)..."
dojo_load 4 || fail "could not load the modules"
wait_for_accel 4 || fail "no accel nodes"
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
echo "Cabling the four Z-plane ports to the bridge zpbr..."
zp_net_up || fail "could not create the bridge"
for i in 0 1 2 3; do
	zp_cable "$i" "zp$((i + 2))" || status=1
done
run bridge link show
run tools/dojoctl link show || status=1
run examples/allreduce -n 4 -c 1048576 || status=1
run tools/dojoctl link show || status=1
run tools/dojoctl topo || status=1
run tools/dojoctl topo --tree || status=1
for i in 0 1 2 3; do
	zp_uncable "$i"
done
zp_net_down

echo
dojo_unload || status=1
# Anything the kernel complained about during the demo.
if dmesg | grep -E 'WARNING:|BUG|Oops|KFENCE|Call Trace'; then
	status=1
fi
exit $status
