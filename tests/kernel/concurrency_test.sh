#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# concurrency_test: 8 processes submitting on every queue of one emulated
# DIP at once; every job must complete with its data intact.

# shellcheck source=job_tests.inc
. "$(dirname "$0")/job_tests.inc"

job_test_run concurrency_test 1 "" "hbm_backing_mb=128"
exit $?
