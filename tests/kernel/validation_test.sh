#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# validation_test: every rejection of SUBMIT, BO_CREATE, BO_INFO and
# JOB_WAIT with its errno, on one emulated DIP. The runner checks that the
# kernel log stayed clean.

# shellcheck source=job_tests.inc
. "$(dirname "$0")/job_tests.inc"

job_test_run validation_test 1 "" ""
exit $?
