#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs dma_test (kselftest harness) against one emulated DIP, with a short
# job timeout so that the hang case ends quickly, and a 64 MiB HBM backing
# bound that the backing case exhausts.

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

if [ ! -x "$KTEST_DIR/dma_test" ]; then
	echo "Bail out! dma_test not built (make -C tests)"
	exit 1
fi
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
if ! _dojo_insmod "$DOJO_KO" job_timeout_ms=200 ||
	! _dojo_insmod "$DOJO_EMU_KO" devices=1 hbm_backing_mb=64 ||
	! wait_for_accel 1; then
	echo "Bail out! loading dojo (job_timeout_ms=200) and one card failed"
	exit 1
fi
"$KTEST_DIR/dma_test"
rc=$?
dojo_unload || rc=1
exit "$rc"
