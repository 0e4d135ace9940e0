#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Resetting, deleting and unloading an emulated DIP while its DMA queues
# move data or hold a hung job: the jobs end, the card works after a reset,
# nothing touches freed memory, the kernel log stays clean (the runner
# checks it).

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

BENCH=$KTEST_DIR/dma_bench
if [ ! -x "$BENCH" ]; then
	echo "Bail out! dma_bench not built (make -C tests)"
	exit 1
fi
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

ktap_plan 4

case_begin "delete a card during large copies"
if dojo_load 0 && echo 256 >/sys/module/dojo_emu/parameters/hbm_backing_mb &&
	emu_new_device 0 && wait_for_accel 1; then
	"$BENCH" 32 >/dev/null 2>&1 &
	pid=$!
	sleep 1
	expect "del_device during jobs" emu_del_device 0
	wait "$pid"
	diag "dma_bench ended with $? (expected to fail)"
	expect "accel node gone" wait_for_accel 0
else
	diag "FAIL: setup"
	case_failed=1
fi
case_end

case_begin "unload during large copies"
if emu_new_device 1 && wait_for_accel 1; then
	"$BENCH" 32 >/dev/null 2>&1 &
	pid=$!
	sleep 1
	expect "rmmod dojo_emu during jobs" rmmod dojo_emu
	wait "$pid"
	diag "dma_bench ended with $?"
else
	diag "FAIL: setup"
	case_failed=1
fi
case_end

case_begin "card reset while a job runs"
if _dojo_insmod "$DOJO_EMU_KO" devices=1 && wait_for_accel 1; then
	dir=/sys/kernel/debug/dojo_emu/dojo_emu0
	reset=$(echo /sys/kernel/debug/accel/*/reset)
	# Every job first waits 3 s on the card, so the reset finds one running.
	echo 3000000 >"$dir/dma_latency_us"
	"$BENCH" 1 >/dev/null 2>&1 &
	pid=$!
	sleep 1
	expect "reset through the driver's debugfs" sh -c "echo 1 > $reset"
	wait "$pid"
	expect "dma_bench saw its job aborted" test $? -ne 0
	expect "queue 0 aborted a job" \
		test "$(awk '$1 == 0 { print $11 }' "$dir/dma_queues")" -ge 1
	echo 0 >"$dir/dma_latency_us"
	expect "the card moves data after the reset" \
		sh -c "$KTEST_DIR/dma_test -t copy_fill_crc >/dev/null"
else
	diag "FAIL: setup"
	case_failed=1
fi
case_end

case_begin "card reset, then deletion, of a card whose queue hangs"
dir=/sys/kernel/debug/dojo_emu/dojo_emu0
expect "hang queue 0" sh -c "echo 0 > $dir/hang_queue"
expect "hang_queue reads back" test "$(cat "$dir/hang_queue")" = 0
"$BENCH" 1 >/dev/null 2>&1 &
pid=$!
sleep 2
expect "queue 0 busy" test "$(awk '$1 == 0 { print $7 }' "$dir/dma_queues")" = 0x1
expect "card reset with a hung job" sh -c "echo 1 > $reset"
expect "the reset cleared hang_queue" test -z "$(cat "$dir/hang_queue")"
wait "$pid"
diag "dma_bench ended with $?"
expect "hang queue 0 again" sh -c "echo 0 > $dir/hang_queue"
"$BENCH" 1 >/dev/null 2>&1 &
pid=$!
sleep 2
expect "del_device with a hung job" emu_del_device 0
wait "$pid"
diag "dma_bench ended with $?"
case_end

dojo_unload
ktap_finish
