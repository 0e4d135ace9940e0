#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# lifetime_test: lifetimes and per-client bounds. Two cards, which the
# test deletes and re-creates; job_timeout_ms=75 (1.5 s once scaled for
# the emulated card) keeps the hung-job cases short.
# test-timeout: 900

# shellcheck source=job_tests.inc
. "$(dirname "$0")/job_tests.inc"

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
job_test_run lifetime_test 2 "job_timeout_ms=75" ""
exit $?
