#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# fdinfo_test: the DRM fdinfo keys of an accel file on one emulated DIP.

# shellcheck source=job_tests.inc
. "$(dirname "$0")/job_tests.inc"

job_test_run fdinfo_test 1 "" ""
exit $?
