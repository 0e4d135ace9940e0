#!/bin/bash
# SPDX-License-Identifier: MIT
#
# libdojo's buffer, command buffer and job API (libdojo/tests/test_dma)
# against two emulated DIPs: buffers, local command checks, jobs checked
# against the CPU, syncobjs and sync_files, dma-buf sharing with another
# process, between the DIPs and with a udmabuf, remote DMA over a veth
# pair between their Z-plane ports; then closing a device
# before its buffers and opening one from a file descriptor
# (libdojo/tests/test_close, under AddressSanitizer).

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=${TOP:-$(cd "$HERE/../.." && pwd)}
T=$TOP/libdojo/tests
# shellcheck source=../lib.sh
. "$TOP/tests/lib.sh"

if [ ! -x "$T/test_dma" ]; then
	echo "Bail out! $T/test_dma not built (make -C $TOP/libdojo)"
	exit 1
fi

# udmabuf and veth are optional: test_dma skips those parts without them.
_dojo_modprobe udmabuf 2>/dev/null || true
_dojo_modprobe veth 2>/dev/null || true
dojo_load 2 || { echo "Bail out! dojo_load 2 failed"; exit 1; }
wait_for_accel 2 || { echo "Bail out! no accel nodes"; exit 1; }
# both DIPs on one training tile, for the tile buffer part
if ! { echo 1 >"$EMU_SYSFS/new_tile" &&
	echo "0 1 0 0" >"$EMU_SYSFS/link_tile" &&
	echo "1 1 0 1" >"$EMU_SYSFS/link_tile"; }; then
	echo "Bail out! cabling a tile failed"
	exit 1
fi
for _ in $(seq 100); do
	grep -qs up /sys/class/accel/accel0/device/dojo/ttp_link_state &&
		grep -qs up /sys/class/accel/accel1/device/dojo/ttp_link_state &&
		break
	sleep 0.05
done
# both DIPs on one Ethernet segment, for the Z-plane part (test_dma skips
# it while the links are not up)
if [ -e "$EMU_SYSFS/link_eth" ] &&
	ip link add dojozp0 type veth peer name dojozp1 2>/dev/null; then
	ip link set dojozp0 up && ip link set dojozp1 up &&
		echo "0 dojozp0" >"$EMU_SYSFS/link_eth" &&
		echo "1 dojozp1" >"$EMU_SYSFS/link_eth" ||
		echo "# cabling the Z-plane failed"
	for _ in $(seq 100); do
		grep -qs up /sys/class/accel/accel0/device/dojo/zplane_link_state &&
			grep -qs up /sys/class/accel/accel1/device/dojo/zplane_link_state &&
			break
		sleep 0.05
	done
fi
"$T/test_dma" 0 1
rc=$?
if ip link show dojozp0 >/dev/null 2>&1; then
	echo 0 >"$EMU_SYSFS/unlink_eth"
	echo 1 >"$EMU_SYSFS/unlink_eth"
	ip link del dojozp0
fi
[ "$rc" -eq 0 ] || exit 1
# devices closed before their buffers, devices from a caller's fd (ASan)
"$T/test_close" /dev/accel/accel0
