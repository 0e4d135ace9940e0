#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# telemetry_test: hwmon under load, HBM ECC errors, health and its
# uevents, the sysfs reset; one emulated card.

# shellcheck source=job_tests.inc
. "$(dirname "$0")/job_tests.inc"

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
job_test_run telemetry_test 1 "" ""
exit $?
