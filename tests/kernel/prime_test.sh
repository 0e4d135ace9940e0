#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# prime_test: dma-buf sharing between files, processes and two emulated
# DIPs, and udmabuf import.

# shellcheck source=job_tests.inc
. "$(dirname "$0")/job_tests.inc"

job_test_run prime_test 2 "" ""
exit $?
