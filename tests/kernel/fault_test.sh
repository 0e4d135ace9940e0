#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# fault_test: the emulated card's fault switches, queue and device resets.
# job_timeout_ms=75 (1.5 s once scaled for the emulated card) keeps the
# hung-job case short.

# shellcheck source=job_tests.inc
. "$(dirname "$0")/job_tests.inc"

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
job_test_run fault_test 1 "job_timeout_ms=75" ""
exit $?
