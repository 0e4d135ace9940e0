#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# grant_test: remote DMA through grants between two emulated DIPs whose
# TTPoE ports are cabled to the ends of a veth pair. Passes the test's exit
# code (0 pass, 1 fail, 4 skip) through; the runner checks that the kernel
# log stayed clean.

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

if [ ! -x "$KTEST_DIR/grant_test" ]; then
	echo "Bail out! grant_test not built (make -C tests)"
	exit 1
fi
if ! _dojo_modprobe veth 2>/dev/null && [ ! -d /sys/module/veth ]; then
	echo "1..0 # SKIP no veth"
	exit 4
fi
if ! dojo_load 2 || ! wait_nodes 2; then
	echo "Bail out! dojo_load 2 failed"
	exit 1
fi
if [ ! -e /sys/bus/dojo_emu/link_eth ]; then
	dojo_unload
	echo "1..0 # SKIP the emulated cards cannot be cabled (no link_eth)"
	exit 4
fi
ip link del zpa 2>/dev/null
if ! ip link add zpa type veth peer name zpb || ! ip link set zpa up ||
   ! ip link set zpb up || ! sysfs_write /sys/bus/dojo_emu/link_eth "0 zpa" ||
   ! sysfs_write /sys/bus/dojo_emu/link_eth "1 zpb"; then
	echo "Bail out! cannot cable the cards to a veth pair"
	dojo_unload
	exit 1
fi
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
"$KTEST_DIR/grant_test"
rc=$?
dojo_unload || rc=1
ip link del zpa 2>/dev/null
exit "$rc"
