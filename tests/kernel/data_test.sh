#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# data_test: DMA data integrity, FILL, CRC32, JOB_WAIT and syncobj fences on
# one emulated DIP whose HBM backing holds two 64 MiB buffers and more.

# shellcheck source=job_tests.inc
. "$(dirname "$0")/job_tests.inc"

job_test_run data_test 1 "" "hbm_backing_mb=320"
exit $?
