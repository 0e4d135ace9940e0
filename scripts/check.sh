#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The whole verification, as run by 'make check' after set-up:
#   build        modules and userspace (make all)
#   w1           W=1 build without warnings
#   sparse       sparse (C=2) on every file without warnings
#   checkpatch   checkpatch --strict without ERROR/WARNING/CHECK
#   dkms         DKMS add + build in a private tree
#   VM tests     tests/run-tests.sh inside the test VM (each test counts)
#
# Every step runs even if an earlier one failed (except the VM tests,
# which need a successful build), and the last line is the total:
# 'N passed, N failed, N skipped'.  Exit status 0 only if nothing failed.

set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# Logs of this run; the 5 newest runs are kept.
mkdir -p "$CACHE/check"
out=$CACHE/check/$(date +%Y%m%d-%H%M%S)-$$
mkdir -p "$out"
ls -1dt "$CACHE"/check/*/ | tail -n +6 | xargs -r rm -rf --

passed=0
failed=0
skipped=0
failed_steps=()

# step NAME COMMAND...: run one check, show its output, count the result.
step()
{
	local name=$1 rc start

	shift
	echo
	echo "==== $name"
	start=$(date +%s)
	"$@" 2>&1 | tee "$out/$name.log"
	rc=${PIPESTATUS[0]}
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		echo "==== ok: $name ($(($(date +%s) - start))s)"
	else
		failed=$((failed + 1))
		failed_steps+=("$name")
		echo "==== FAILED: $name (exit $rc)"
	fi
	return "$rc"
}

cd "$TOP" || exit 1
build_ok=1
step build make --no-print-directory all || build_ok=0
step w1 scripts/lint.sh w1
step sparse scripts/lint.sh sparse
step checkpatch scripts/lint.sh checkpatch
step dkms scripts/dkms-check.sh
# Userspace unit tests that need no card (fake sysfs trees).
step libdojo-unit make --no-print-directory -C libdojo check
step dojoctl-unit make --no-print-directory -C tools check

echo
echo "==== VM tests"
if [ "$build_ok" -eq 1 ]; then
	vm_results=$out/vm
	# The whole VM run must end well within CI's 90 minutes.
	DOJO_VM_RESULTS=$vm_results DOJO_VM_TIMEOUT=${DOJO_VM_TIMEOUT:-4200} \
		tests/vm/run-in-vm.sh tests/run-tests.sh
	vm_rc=$?
	if [ -f "$vm_results/summary" ]; then
		read -r p f s <"$vm_results/summary"
		passed=$((passed + p))
		failed=$((failed + f))
		skipped=$((skipped + s))
		[ "$f" -eq 0 ] || failed_steps+=("VM tests")
		if [ "$vm_rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			failed=$((failed + 1))
			failed_steps+=("VM runner (exit $vm_rc)")
		fi
	else
		echo "==== FAILED: the VM did not complete the test run (exit $vm_rc)"
		failed=$((failed + 1))
		failed_steps+=("VM run")
	fi
	echo "guest kernel log: $vm_results/dmesg.txt"
else
	echo "==== FAILED: not run, the build failed"
	failed=$((failed + 1))
	failed_steps+=("VM tests (not run)")
fi

echo
[ "${#failed_steps[@]}" -eq 0 ] || echo "failed: ${failed_steps[*]}"
echo "logs: $out"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
