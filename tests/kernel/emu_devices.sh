#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Emulated DIPs created and deleted at run time through
# /sys/bus/dojo_emu/new_device and del_device, as test rigs and CI do:
# the right nodes come and go, and malformed requests are refused without
# changing anything.

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

NEW=/sys/bus/dojo_emu/new_device
DEL=/sys/bus/dojo_emu/del_device

ktap_plan 4

if ! dojo_load 0; then
	echo "Bail out! dojo_load 0 failed"
	exit 1
fi

# Create three, delete the middle one: exactly the other two remain.
case_begin "create three, delete the middle one"
expect "no nodes at start" wait_nodes 0
for id in 1 2 3; do
	expect "new_device $id" emu_new_device "$id"
done
expect "three nodes" wait_nodes 3
expect "three bus addresses" \
	test "$(bus_addrs)" = "dojo_emu1 dojo_emu2 dojo_emu3"
expect "del_device 2" emu_del_device 2
expect "two nodes" wait_nodes 2
expect "1 and 3 remain" test "$(bus_addrs)" = "dojo_emu1 dojo_emu3"
node=$(node_of dojo_emu3)
expect "dojo_emu3 still answers" quiet "$HOLD_OPEN" -q "$node"
case_end

# Requests that must be refused, each leaving the set of devices alone.
case_begin "duplicate, absent and malformed ids are refused"
expect "duplicate id 1" sysfs_write_fails "$NEW" 1
expect "duplicate id 3" sysfs_write_fails "$NEW" 3
expect "delete absent id 2" sysfs_write_fails "$DEL" 2
expect "delete never-created id 77" sysfs_write_fails "$DEL" 77
for bad in abc -1 "" 1x 0x 4294967296 99999999999999999999 1024; do
	expect "new_device '$bad'" sysfs_write_fails "$NEW" "$bad"
	expect "del_device '$bad'" sysfs_write_fails "$DEL" "$bad"
done
expect "still two nodes" wait_nodes 2
expect "still 1 and 3" test "$(bus_addrs)" = "dojo_emu1 dojo_emu3"
case_end

# A deleted id can be used again, and gets a working device.
case_begin "a deleted id is reusable"
expect "new_device 2 again" emu_new_device 2
expect "three nodes" wait_nodes 3
node=$(node_of dojo_emu2)
expect "dojo_emu2 has a node" test -n "$node"
expect "dojo_emu2 answers" quiet "$HOLD_OPEN" -q "$node"
case_end

# Deleting everything leaves no node, no device and no interrupt behind.
case_begin "delete all"
for id in 1 2 3; do
	expect "del_device $id" emu_del_device "$id"
done
expect "no nodes" wait_nodes 0
expect "no emulated devices on the bus" nothing_at /sys/bus/dojo_emu/devices/*
expect "no dojo interrupts" test "$(dojo_irq_lines)" -eq 0
expect "driver refcount 0" test "$(module_refcnt dojo)" = 0
expect "unload" dojo_unload
case_end

ktap_finish
