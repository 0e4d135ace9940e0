#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Module load/unload as administrators and packaging scripts do it: nodes
# must appear with the modules and vanish without them, in any unload
# order, many times over (leaks and stale state show up as a failed cycle
# or as a slab/KFENCE report the runner finds in dmesg).

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

# Five on a debug kernel: there every cycle costs several times as much,
# and lockdep, kmemleak and the object checks catch a leak or stale state
# in the first cycles as well as in the twentieth.
CYCLES=20
debug_kernel && CYCLES=5

ktap_plan 3

# Full cycles with two emulated DIPs each. The first load brings in
# drm and co; later cycles insmod directly (fewer processes: the emulated
# VM starts them slowly).
# shellcheck disable=SC2317 # called through expect
load2()
{
	if [ "$1" -eq 1 ]; then
		dojo_load 2
	else
		insmod "$DOJO_KO" && insmod "$DOJO_EMU_KO" devices=2
	fi
}

case_begin "load/unload $CYCLES cycles with 2 DIPs"
for i in $(seq "$CYCLES"); do
	expect "cycle $i: load with 2 DIPs" load2 "$i" || break
	expect "cycle $i: two nodes" wait_nodes 2 || break
	# minors are given back at unload, so every cycle gets accel0 and 1
	expect "cycle $i: accel0 and accel1" \
		test -c /dev/accel/accel0 -a -c /dev/accel/accel1
	expect "cycle $i: accel1 answers" quiet "$HOLD_OPEN" -q /dev/accel/accel1
	expect "cycle $i: dojo in /proc/modules" in_proc_modules dojo
	expect "cycle $i: dojo_emu in /sys/module" module_loaded dojo_emu
	expect "cycle $i: unload" dojo_unload || break
	expect "cycle $i: nodes gone" wait_nodes 0
	expect "cycle $i: /sys/class/accel empty" \
		nothing_at /sys/class/accel/accel*
	expect "cycle $i: modules gone" nothing_at /sys/module/dojo /sys/module/dojo_emu
	expect "cycle $i: dojo not in /proc/modules" fails in_proc_modules dojo
	[ "$case_failed" -eq 0 ] || break
done
case_end
dojo_unload >/dev/null 2>&1

# The driver goes first (an upgrade of dojo.ko): the emulated cards stay,
# their nodes go, and a fresh dojo.ko binds them again.
case_begin "driver reload under live emulated devices"
if expect "dojo_load 2" dojo_load 2 && expect "two nodes" wait_nodes 2; then
	before=$(bus_addrs)
	expect "rmmod dojo" rmmod dojo
	expect "nodes gone with the driver" wait_nodes 0
	expect "emulated devices remain" module_loaded dojo_emu
	expect "insmod dojo again" insmod "$DOJO_KO"
	expect "nodes back" wait_nodes 2
	expect "same devices back" test "$(bus_addrs)" = "$before"
	expect "query works after rebind" quiet "$HOLD_OPEN" -q /dev/accel/accel0
fi
expect "unload" dojo_unload
case_end

# The emulator goes first: nodes vanish, the driver stays loaded and idle.
case_begin "emulator unload under a loaded driver"
if expect "dojo_load 2" dojo_load 2 && expect "two nodes" wait_nodes 2; then
	expect "rmmod dojo_emu" rmmod dojo_emu
	expect "nodes gone" wait_nodes 0
	expect "driver refcount 0" test "$(module_refcnt dojo)" = 0
	expect "rmmod dojo" rmmod dojo
fi
dojo_unload >/dev/null 2>&1
expect "both modules gone" fails dojo_loaded
case_end

ktap_finish
