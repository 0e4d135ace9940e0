#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The attributes under /sys/class/accel/accelN/device/dojo/ are how
# monitoring and inventory tools learn what a card is, and how it fares,
# without root: every one must be readable by an unprivileged user,
# read-only for everyone, and the identity must say the same as
# DRM_IOCTL_DOJO_QUERY.

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
STRINGS="serial_number fw_version platform bus_type bus_addr regs_version"
NUMBERS="hbm_size_bytes num_dma_queues num_ttp_ports num_ttpoe_ports
	vendor_id device_id revision pcie_max_gen pcie_max_width"
# Live counters; the tests that move them check their values. Nothing runs
# on the cards here, so root and nobody read the same numbers.
COUNTERS="hbm_used_bytes device_resets job_timeouts reset_count ecc_corrected
	ecc_uncorrected"
# How the card fares: a new, idle card is "ok" and was never reset.
STATUS="health last_reset_reason"
# The TTP link as the driver last read it (tile_test moves it).
TTP="ttp_link_state tile_id tile_edge tile_slot tile_sram_size_bytes"
# The Z-plane port (grant_test moves it); zplane_node_id is root-writable.
ZPLANE="zplane_link_state zplane_mac zplane_link_changes zplane_tx_bytes
	zplane_rx_bytes zplane_tx_frames zplane_rx_frames zplane_replays
	zplane_nacks zplane_drops zplane_errors"

ktap_plan 3

if ! dojo_load 2 || ! wait_nodes 2; then
	echo "Bail out! dojo_load 2 failed"
	exit 1
fi

# Every attribute, every card: world-readable, nobody can write it.
# (One process per check over all files: process start-up is slow in the
# emulated VM.)
case_begin "readable without root, writable by no one"
files=()
for dir in /sys/class/accel/accel*/device/dojo; do
	for attr in $STRINGS $NUMBERS $COUNTERS $STATUS $TTP $ZPLANE; do
		files+=("$dir/$attr")
	done
done
modes=$(stat -L -c '%a %n' "${files[@]}")
expect "all ${#files[@]} attributes exist" test $? -eq 0
while read -r mode f; do
	expect "$f mode $mode is world-readable and not writable" \
		test $((0$mode & 0222)) -eq 0 -a $((0$mode & 0004)) -ne 0
done <<<"$modes"
as_root=$(grep -H '' "${files[@]}")
as_nobody=$("${NOBODY[@]}" grep -H '' "${files[@]}")
expect "nobody reads them all" test $? -eq 0
expect "nobody sees what root sees" test "$as_nobody" = "$as_root"
for f in "${files[@]}"; do
	expect "root cannot write $f" sysfs_write_fails "$f" 0
done
for f in /sys/class/accel/accel*/device/dojo/zplane_node_id; do
	expect "$f is 0644" test "$(stat -L -c %a "$f")" = 644
	expect "nobody reads $f" quiet "${NOBODY[@]}" cat "$f"
	expect "nobody cannot write $f" \
		"${NOBODY[@]}" sh -c "! echo 5 >$f 2>/dev/null"
done
case_end

# The same facts through sysfs and through the ioctl, card by card.
case_begin "sysfs agrees with the query ioctl"
declare -A q
for d in /sys/class/accel/accel*; do
	node=/dev/accel/${d##*/}
	q=()
	while read -r k v; do
		q[$k]=$v
	done < <("$HOLD_OPEN" -q "$node")
	expect "$node query" test "${#q[@]}" -gt 0 || continue
	for attr in $STRINGS; do
		got=$(<"$d/device/dojo/$attr")
		expect "$node $attr: sysfs '$got' ioctl '${q[$attr]}'" \
			test "$got" = "${q[$attr]}"
	done
	for attr in $NUMBERS; do
		got=$(<"$d/device/dojo/$attr")
		# sysfs may print hex ("0x1de5"); compare values
		expect "$node $attr: sysfs '$got' ioctl '${q[$attr]}'" \
			test "$((got))" = "${q[$attr]}"
	done
done
case_end

# The published facts of the card, as users read them.
case_begin "emulated DIP identity values"
dir=/sys/class/accel/accel0/device/dojo
attr_val()
{
	echo "$(<"$dir/$1")"
}
expect "32 GiB HBM" test "$(attr_val hbm_size_bytes)" = 34359738368
expect "platform emulated" test "$(attr_val platform)" = emulated
expect "bus_type emulated" test "$(attr_val bus_type)" = emulated
expect "one TTP port" test "$(($(attr_val num_ttp_ports)))" = 1
expect "one TTPoE port" test "$(($(attr_val num_ttpoe_ports)))" = 1
expect "PCIe Gen4" test "$(($(attr_val pcie_max_gen)))" = 4
expect "x16" test "$(($(attr_val pcie_max_width)))" = 16
expect "vendor 0x1de5" test "$(($(attr_val vendor_id)))" = $((0x1de5))
expect "fw_version is M.m.p" \
	matches "$(attr_val fw_version)" '^[0-9]+\.[0-9]+\.[0-9]+$'
expect "regs_version 1.x" matches "$(attr_val regs_version)" '^1\.[0-9]+$'
expect "serial is printable" \
	matches "$(attr_val serial_number)" '^[[:graph:]]+$'
for attr in $COUNTERS; do
	expect "a new card: $attr 0" test "$(attr_val "$attr")" = 0
done
expect "a new card: health ok" test "$(attr_val health)" = ok
expect "a new card: last_reset_reason none" test "$(attr_val last_reset_reason)" = none
expect "no tile: ttp_link_state down" test "$(attr_val ttp_link_state)" = down
for attr in tile_id tile_edge tile_slot; do
	expect "no tile: $attr -1" test "$(attr_val "$attr")" = -1
done
expect "no tile: tile_sram_size_bytes 0" \
	test "$(attr_val tile_sram_size_bytes)" = 0
expect "uncabled: zplane_link_state uncabled" \
	test "$(attr_val zplane_link_state)" = uncabled
expect "zplane_node_id is 24 bits" test "$(attr_val zplane_node_id)" -le 16777215
expect "zplane_mac is a MAC" \
	matches "$(attr_val zplane_mac)" '^([0-9a-f]{2}:){5}[0-9a-f]{2}$'
expect "serials differ between cards" test \
	"$(cat /sys/class/accel/accel*/device/dojo/serial_number | sort -u | wc -l)" -eq 2
expect "unload" dojo_unload
case_end

ktap_finish
