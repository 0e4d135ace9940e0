#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs query_test (kselftest harness) against two emulated DIPs and passes
# its exit code (0 pass, 1 fail, 4 skip) through.

# shellcheck source=ktap.inc
. "$(dirname "$0")/ktap.inc"

if [ ! -x "$KTEST_DIR/query_test" ]; then
	echo "Bail out! query_test not built (make -C tests)"
	exit 1
fi
if ! dojo_load 2 || ! wait_nodes 2; then
	echo "Bail out! dojo_load 2 failed"
	exit 1
fi
"$KTEST_DIR/query_test"
rc=$?
dojo_unload || rc=1
exit "$rc"
