#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Twenty DIPs at once, the number in one system tray: every one gets a
# node and answers its query, and what twenty cost in kernel memory is
# reported so that growth per device is visible from run to run.

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

N=20

ktap_plan 2

# All nodes answer, each with its own bus address.
check_all()
{
	local node addr k v addrs=''

	expect "$N nodes" wait_nodes "$N" || return
	for node in /dev/accel/accel*; do
		addr=
		while read -r k v; do
			[ "$k" = bus_addr ] && addr=$v
		done < <("$HOLD_OPEN" -q "$node")
		expect "$node answers" test -n "$addr"
		addrs="$addrs $addr"
	done
	expect "$N distinct bus addresses" \
		test "$(echo "$addrs" | xargs -n1 | sort -u | wc -l)" -eq "$N"
}

case_begin "dojo_emu devices=$N at load"
if expect "dojo_load $N" dojo_load "$N"; then
	check_all
fi
expect "unload" dojo_unload
expect "no nodes left" wait_nodes 0
case_end

case_begin "$N devices created at run time, then deleted"
expect "dojo_load 0" dojo_load 0
slab0=$(meminfo_kb Slab)
avail0=$(meminfo_kb MemAvailable)
irqs0=$(dojo_irq_lines)
for id in $(seq "$N"); do
	expect "new_device $id" emu_new_device "$id" || break
done
check_all
slab1=$(meminfo_kb Slab)
avail1=$(meminfo_kb MemAvailable)
# Slab is the driver's and the model's own memory; MemAvailable also
# moves with page cache, so it is only indicative.
diag "$(printf 'with %d devices: Slab %+d kB (%+d kB per device), MemAvailable %+d kB' \
	"$N" $((slab1 - slab0)) $(((slab1 - slab0) / N)) $((avail1 - avail0)))"
for id in $(seq "$N"); do
	expect "del_device $id" emu_del_device "$id"
done
expect "no nodes left" wait_nodes 0
expect "interrupt lines back to $irqs0" test "$(dojo_irq_lines)" -eq "$irqs0"
slab2=$(meminfo_kb Slab)
avail2=$(meminfo_kb MemAvailable)
diag "$(printf 'after deleting them: Slab %+d kB, MemAvailable %+d kB' \
	$((slab2 - slab0)) $((avail2 - avail0)))"
expect "unload" dojo_unload
case_end

ktap_finish
