#!/bin/bash
# SPDX-License-Identifier: MIT
#
# DIPs created and deleted at run time appear in and disappear from
# dojoctl list, and a deleted DIP can no longer be named.

# shellcheck disable=SC2317 # functions run through check
. "$(dirname "$0")/tap.inc"
need_dojoctl
lib_sh

load_dips 0

# The listed bus addresses, sorted (a new DIP may reuse a freed minor, so
# list order is not creation order).
addrs() {
	"$DOJOCTL" -n list | awk '{ print $5 }' | sort | xargs
}

# Wait up to 30 s for the listed bus addresses to become $1.
wait_addrs() {
	local end=$((SECONDS + 30))
	while [ "$SECONDS" -lt "$end" ]; do
		[ "$(addrs)" = "$1" ] && return 0
		sleep 0.2
	done
	echo "# bus addresses: '$(addrs)', expected '$1'"
	return 1
}

check "new_device 1" emu_new_device 1
check "new_device 2" emu_new_device 2
check "new_device 3" emu_new_device 3
check "list shows dojo_emu1 dojo_emu2 dojo_emu3" \
	wait_addrs "dojo_emu1 dojo_emu2 dojo_emu3"
check_rc 0 "info dojo_emu2 exits 0" "$DOJOCTL" -j info dojo_emu2
json_check "  found" info --count 1 --field bus_addr=dojo_emu2
serial2=$(dip_field 1 serial)
check "  serial of dojo_emu2 known ($serial2)" test -n "$serial2"

check "del_device 2" emu_del_device 2
check "list shows dojo_emu1 dojo_emu3" wait_addrs "dojo_emu1 dojo_emu3"
check_rc 0 "list -j" "$DOJOCTL" -j list
json_check "  indexes renumbered 0, 1" list --count 2
check_rc 2 "info dojo_emu2 exits 2 once deleted" "$DOJOCTL" info dojo_emu2
check_rc 2 "info by its serial exits 2" "$DOJOCTL" info "$serial2"

check "new_device 4 with serial DJ-TEST-4" emu_new_device 4 DJ-TEST-4
check "list shows dojo_emu1 dojo_emu3 dojo_emu4" \
	wait_addrs "dojo_emu1 dojo_emu3 dojo_emu4"
check_rc 0 "info DJ-TEST-4 exits 0" "$DOJOCTL" -j info DJ-TEST-4
json_check "  is dojo_emu4" info --count 1 --field bus_addr=dojo_emu4 \
	--field serial=DJ-TEST-4

check "del_device 1" emu_del_device 1
check "del_device 3" emu_del_device 3
check "del_device 4" emu_del_device 4
check "list is empty" wait_addrs ""
check_rc 0 "list with every DIP deleted exits 0" "$DOJOCTL" -j list
json_check "  empty devices array" list --count 0

finish
