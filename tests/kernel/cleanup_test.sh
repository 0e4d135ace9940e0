#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# cleanup_test: killed clients and deleted cards leak nothing, on two
# emulated DIPs with a short job timeout (75 ms, 1.5 s once scaled). The
# modules must unload cleanly afterwards, which job_test_run checks.

# shellcheck source=job_tests.inc
. "$(dirname "$0")/job_tests.inc"

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
job_test_run cleanup_test 2 "job_timeout_ms=75" ""
exit $?
