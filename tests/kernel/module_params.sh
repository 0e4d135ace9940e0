#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Module parameters as an operator sets them in modprobe.d: a value the
# driver cannot honour is refused at load with a message that says why,
# instead of loading with a timeout of zero (every job "hangs" at once)
# or one that overflows once scaled for an emulated card.

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

ktap_plan 2

param() { cat /sys/module/dojo/parameters/job_timeout_ms; }
refused() { ! _dojo_insmod "$DOJO_KO" "job_timeout_ms=$1" 2>/dev/null; }
said_why() { dmesg | tail -n 20 | grep -q 'job_timeout_ms must be 1\.\.'; }

case_begin "job_timeout_ms out of range is refused at load"
for v in 0 3600001 4294967295 4294967296 -1; do
	expect "job_timeout_ms=$v refused" refused "$v"
	expect "job_timeout_ms=$v: dojo not loaded" fails module_loaded dojo
done
expect "the kernel log says the range" said_why
case_end
dojo_unload >/dev/null 2>&1

case_begin "job_timeout_ms at its bounds loads and works"
for v in 1 3600000; do
	if expect "job_timeout_ms=$v loads" _dojo_insmod "$DOJO_KO" "job_timeout_ms=$v" &&
	   expect "one emulated DIP" _dojo_insmod "$DOJO_EMU_KO" devices=1 &&
	   expect "its node" wait_nodes 1; then
		expect "job_timeout_ms reads $v" test "$(param)" = "$v"
		expect "the card answers" quiet "$HOLD_OPEN" -q /dev/accel/accel0
	fi
	expect "unload" dojo_unload
done
case_end

ktap_finish
