#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# seqno_carry: jobs across the carry of DONE_SEQNO's two 32-bit registers.
# DONE_SEQNO survives resets and driver reloads, so a card that has run
# 2^32 jobs is an ordinary card: its next jobs must end DONE on every
# queue, with jobs in flight while the card moves the register under the
# driver's reads.
# test-timeout: 300

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

ktap_plan 2
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

# The lowest DONE_SEQNO of the card's four queues, from the emulator.
lowest_seqno()
{
	awk 'NR > 1 { if (min == "" || $8 < min) min = $8 } END { print min }' \
		/sys/kernel/debug/dojo_emu/dojo_emu0/dma_queues
}

case_begin "DONE_SEQNO starts 8 jobs below 2^32"
if expect "load" _dojo_insmod "$DOJO_KO" &&
   expect "one card 8 jobs below the carry" \
	_dojo_insmod "$DOJO_EMU_KO" devices=1 "seqno_base=$(((1 << 32) - 8))" &&
   expect "its node" wait_nodes 1; then
	expect "below 2^32" test "$(lowest_seqno)" -lt $((1 << 32))
fi
case_end

case_begin "jobs on every queue across the carry end DONE"
expect "dma_test many_jobs, queues_in_parallel" \
	"$KTEST_DIR/dma_test" -t many_jobs -t queues_in_parallel
expect "every queue went past 2^32" test "$(lowest_seqno)" -gt $((1 << 32))
case_end
dojo_unload || { diag "the modules did not unload"; ktap_fail=$((ktap_fail + 1)); }

ktap_finish
