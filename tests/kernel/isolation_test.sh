#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# isolation_test: jobs reach only their own buffers, on one emulated DIP.

# shellcheck source=job_tests.inc
. "$(dirname "$0")/job_tests.inc"

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
job_test_run isolation_test 1 "" ""
exit $?
