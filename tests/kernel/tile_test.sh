#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tile_test: emulated training tiles and the TTP tile port of three
# emulated DIPs: topology, shared tile buffers, isolation, link loss, leaks.

# shellcheck source=job_tests.inc
. "$(dirname "$0")/job_tests.inc"

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
job_test_run tile_test 3 "" ""
exit $?
