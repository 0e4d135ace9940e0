#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The whole verification, as run by 'make check' after set-up:
#   build         modules and userspace (make all)
#   w1            W=1 build without warnings
#   sparse        sparse (C=2) on every file without warnings
#   checkpatch    checkpatch --strict without ERROR/WARNING/CHECK
#   dkms          DKMS add + build in a private tree
#   VM tests      tests/run-tests.sh inside the test VM (each test counts)
#   Z-plane       the tests that need two machines on one Ethernet segment,
#                 run by tests/run-tests.sh in both VMs of
#                 tests/vm/run-two-vms.sh (each guest's tests count)
#   debug lane    the same VM tests again under the project's debug kernel
#                 (scripts/build-debug-kernel.sh: lockdep, kmemleak, UBSAN,
#                 DEBUG_OBJECTS, DMA-API debugging, ...), with dojo built
#                 for it; its tests count as debug/<name>
#
# Usage: scripts/check.sh [--lane debug|kasan]
#   --lane V   only the build and lane V (make check-debug, make
#              check-kasan); TESTS="name ..." then restricts the VM tests
#
# Every step runs even if an earlier one failed (except the VM tests,
# which need a successful build), and the last line is the total:
# 'N passed, N failed, N skipped'.  Exit status 0 only if nothing failed.

set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

only_lane=
case "${1:-}" in
"") ;;
--lane)
	only_lane=${2:-}
	case $only_lane in
	debug | kasan) ;;
	*) echo "usage: $0 [--lane debug|kasan]" >&2; exit 2 ;;
	esac
	;;
*) echo "usage: $0 [--lane debug|kasan]" >&2; exit 2 ;;
esac
# TESTS only for a lane of its own: 'make check' always runs everything.
# shellcheck disable=SC2206 # split into names on purpose
filters=(${only_lane:+${TESTS:-}})

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

# vm_suite NAME RESULTS RUNNER...: run tests/run-tests.sh in the VM that
# RUNNER boots and add each test's result to the totals.
vm_suite()
{
	local name=$1 res=$2 rc p f s start

	shift 2
	echo
	echo "==== $name"
	start=$(date +%s)
	# The whole VM run must end well within CI's 90 minutes.
	DOJO_VM_RESULTS=$res DOJO_VM_TIMEOUT=${DOJO_VM_TIMEOUT:-4200} \
		"$@" tests/run-tests.sh "${filters[@]}"
	rc=$?
	if [ -f "$res/summary" ]; then
		read -r p f s <"$res/summary"
		passed=$((passed + p))
		failed=$((failed + f))
		skipped=$((skipped + s))
		[ "$f" -eq 0 ] || failed_steps+=("$name")
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			failed=$((failed + 1))
			failed_steps+=("$name runner (exit $rc)")
		fi
		echo "==== $name: $p passed, $f failed, $s skipped ($(($(date +%s) - start))s)"
	else
		echo "==== FAILED: $name: the VM did not complete the test run (exit $rc)"
		failed=$((failed + 1))
		failed_steps+=("$name run")
	fi
	echo "guest kernel log: $res/dmesg.txt"
}

# The tests that need two machines (tests/vm/run-two-vms.sh); in the
# single VM they skip.
zplane_suite()
{
	local filters=(zplane_two_vms)

	vm_suite "Z-plane two VMs" "$out/vm-zplane" tests/vm/run-two-vms.sh
}

not_run()
{
	echo
	echo "==== FAILED: $1 not run, $2"
	failed=$((failed + 1))
	failed_steps+=("$1 (not run)")
}

# debug_lane V: build (or reuse) the V kernel and dojo for it, then run
# the VM tests under it.  The kernel build is once per machine and
# configuration (about 30 minutes on 2 cores); later runs reuse it.
debug_lane()
{
	local v=$1

	local kernel=(scripts/build-debug-kernel.sh "$v")

	# The background build is a child of this shell, not of the pipeline
	# that step runs its command in: wait for it here.
	if [ "$v" = debug ] && [ -n "$kernel_bg" ]; then
		local bg_rc=0

		wait "$kernel_bg" || bg_rc=$?
		kernel_bg=
		kernel=(kernel_bg_result "$bg_rc")
	fi
	step "$v-kernel" "${kernel[@]}" || {
		not_run "$v VM tests" "no $v kernel"
		return
	}
	step "$v-modules" scripts/build-debug-modules.sh "$(tail -n 1 "$out/$v-kernel.log")" || {
		not_run "$v VM tests" "dojo did not build for the $v kernel"
		return
	}
	# The fuzzer's operations: a million per 'make check' over both
	# kernels, most of them on Debian's, where they run several times faster.
	DOJO_FUZZ_OPS=${DOJO_FUZZ_OPS_DEBUG:-200000} \
	DOJO_FUZZ_SECS=${DOJO_FUZZ_SECS_DEBUG:-600} \
		vm_suite "$v VM tests" "$out/vm-$v" tests/vm/run-in-debug-vm.sh "$v"
}

# What the background build of the debug kernel printed, and its status.
kernel_bg_result()
{
	cat "$out/debug-kernel-build.log"
	return "$1"
}

cd "$TOP" || exit 1
# CI builds with warnings as errors; a plain 'make' does not.
export DOJO_WERROR=1
# On a machine without the debug kernel yet, its build (about 30 minutes
# on 2 cores) starts now at the lowest priority, so that it takes what the
# steps below leave idle (the VM tests wait a lot) instead of adding all
# its time after them.  With the kernel cached it ends at once.
# DOJO_CHECK_DEBUG=0 leaves the debug lane out (a quicker local check;
# CI runs it).
with_debug=${DOJO_CHECK_DEBUG:-1}
[ -z "$only_lane" ] || with_debug=1
kernel_bg=
if [ -z "$only_lane" ] && [ "$with_debug" = 1 ]; then
	nice -n 9 scripts/build-debug-kernel.sh debug >"$out/debug-kernel-build.log" 2>&1 &
	kernel_bg=$!
fi

build_ok=1
if [ -n "$only_lane" ]; then
	step build make --no-print-directory userspace || build_ok=0
else
	step build make --no-print-directory all || build_ok=0
	step w1 scripts/lint.sh w1
	step sparse scripts/lint.sh sparse
	step checkpatch scripts/lint.sh checkpatch
	step dkms scripts/dkms-check.sh
	# Userspace unit tests that need no card (fake sysfs trees).
	step libdojo-unit make --no-print-directory -C libdojo check
	step dojoctl-unit make --no-print-directory -C tools check
	step version tests/host/version.sh
	step install tests/host/install.sh

	if [ "$build_ok" -eq 1 ]; then
		DOJO_FUZZ_OPS=${DOJO_FUZZ_OPS:-800000} \
			vm_suite "VM tests" "$out/vm" tests/vm/run-in-vm.sh
		zplane_suite
	else
		not_run "VM tests" "the build failed"
		not_run "Z-plane two VMs" "the build failed"
	fi
fi

lane=${only_lane:-debug}
if [ "$with_debug" != 1 ]; then
	echo
	echo "==== debug lane: not run (DOJO_CHECK_DEBUG=0)"
elif [ "$build_ok" -eq 1 ]; then
	debug_lane "$lane"
else
	[ -z "$kernel_bg" ] || wait "$kernel_bg"
	not_run "$lane VM tests" "the build failed"
fi

echo
[ "${#failed_steps[@]}" -eq 0 ] || echo "failed: ${failed_steps[*]}"
echo "logs: $out"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
