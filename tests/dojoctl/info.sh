#!/bin/bash
# SPDX-License-Identifier: MIT
#
# dojoctl info names a DIP by index, accel name, device node, serial or bus
# address, and each name finds the same DIP.

. "$(dirname "$0")/tap.inc"
need_dojoctl
lib_sh

load_dips 2

get() {
	dip_field "$@"
}

for i in 0 1; do
	name=$(get $i name)
	serial=$(get $i serial)
	addr=$(get $i bus_addr)
	devnode=/dev/accel/$name
	for spec in "$i" "$name" "$devnode" "$serial" "$addr"; do
		check_rc 0 "info $spec" "$DOJOCTL" -j info "$spec"
		json_check "  is $name ($serial at $addr)" info --count 1 \
			--field name="$name" --field serial="$serial" \
			--field bus_addr="$addr" --field index="$i" \
			--query match
	done
done

check_rc 0 "info of both by two names" "$DOJOCTL" -j info "$(get 1 serial)" 0
json_check "  in the order named" info --count 2
json_assert "  second is index 0" 'import json, sys
assert [d["index"] for d in json.load(sys.stdin)["devices"]] == [1, 0]'

check_rc 0 "info table" "$DOJOCTL" info 0
check "  names the DIP" grep -q "^$(get 0 name):$" "$WORK/out"
check "  shows HBM" grep -q '^ *hbm_size_bytes  *34359738368 (32 GiB)$' \
	"$WORK/out"
check "  shows the query result" grep -q '^ *query_status  *match$' "$WORK/out"
check "  shows the vendor id in hex" grep -q '^ *vendor_id  *0x[0-9a-f]\{4\}$' \
	"$WORK/out"

# The driver's counters, live: a new DIP counts nothing; a reset counts.
check_rc 0 "info of a new DIP" "$DOJOCTL" -j info 0
json_check "  has counted nothing" info --count 1 --field hbm_used_bytes=0 \
	--field device_resets=0 --field job_timeouts=0
addr=$(get 0 bus_addr)
# DRM names the directory after the parent device, older kernels the minor.
dbg=/sys/kernel/debug/accel/dojo_emu.dip.${addr#dojo_emu}
name=$(get 0 name)
[ -d "$dbg" ] || dbg=/sys/kernel/debug/accel/${name#accel}
reset=$dbg/reset
check "reset DIP 0 through debugfs" sh -c "echo 1 > $reset"
check_rc 0 "info after the reset" "$DOJOCTL" -j info 0
json_check "  counts one device reset" info --count 1 --field device_resets=1

finish
